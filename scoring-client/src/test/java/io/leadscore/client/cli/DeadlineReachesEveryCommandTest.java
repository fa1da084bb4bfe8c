package io.leadscore.client.cli;

import io.leadscore.client.imports.OlistSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * {@code --deadline} reaches every command that calls the server: against a server that takes every call and never
 * answers, each command ends with {@code DEADLINE_EXCEEDED} soon after the deadline given, with exit code 1 and the
 * one error line every failed call gets, and the server saw its calls arrive with that deadline. The commands are
 * found from picocli's subcommands, so a new command fails here until it has sample arguments below, or is listed
 * as one that never calls the server.
 */
class DeadlineReachesEveryCommandTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /** Time to notice the deadline and close the channel; far below the shortest deadline a command has by default. */
    private static final Duration ENDS_WITHIN = Duration.ofSeconds(5);

    /** Commands that send nothing to a server, with why. */
    private static final Map<String, String> OFFLINE = Map.of(
            "token new", "creates a token and its callers-file entry locally");

    /**
     * Imports send each lead as its own call and list every lead the server refused with its status, going on with
     * the rest (a re-run imports what is missing): there the deadline shows once per lead, with exit code 3.
     */
    private static final Set<String> LISTING_EACH_LEAD = Set.of("import olist", "import csv");

    @TempDir
    Path dir;

    private final EveryRpc server = EveryRpc.neverAnswering();
    private final CliRun cli = new CliRun(server.services());

    @AfterEach
    void stop() {
        cli.close();
    }

    /** Arguments that get each command as far as its first call; files are written to the test's directory. */
    private Map<String, List<String>> sampleArguments() throws IOException {
        Path model = file("model.yaml", "id: candidate\nversion: 1\n");
        Path engagements = file("engagements.jsonl", """
                {"eventId":"e1","leadId":"lead-1","type":"page_view","occurredAt":"2026-01-05T10:00:00Z"}
                """);
        Path mapping = file("mapping.yaml", "id: id\nregistered_at: created\n");
        Path leads = file("leads.csv", "id,created\n1,2026-03-02T10:00:00Z\n");
        file(OlistSource.LEADS_FILE, "mql_id,first_contact_date,landing_page_id,origin\nm1,01-02-2018,lp1,email\n");
        file(OlistSource.DEALS_FILE, "mql_id,won_date,business_segment,declared_monthly_revenue\n");
        String actor = "--actor=sam";
        return Map.ofEntries(
                entry("register", List.of("lead-1", "--email", "ada@acme.com")),
                entry("profile", List.of("lead-1", "--title", "CTO")),
                entry("engage", List.of("lead-1", "page_view")),
                entry("score", List.of("lead-1")),
                entry("explain", List.of("lead-1")),
                entry("adjust", List.of("lead-1", "5", actor, "--reason", "met at a trade fair")),
                entry("erase", List.of("lead-1", actor)),
                entry("import-jsonl", List.of(engagements.toString())),
                entry("import olist", List.of(dir.toString())),
                entry("import csv", List.of("--mapping", mapping.toString(), leads.toString())),
                entry("load", List.of("--leads", "1", "--events", "1", "--concurrency", "1")),
                entry("accept", List.of("lead-1", actor, "--budget", "50k", "--authority", "VP Sales", "--need",
                                        "pipeline", "--timeline", "Q3")),
                entry("reject", List.of("lead-1", actor, "--code", "no_budget")),
                entry("disqualify", List.of("lead-1", actor, "--code", "competitor")),
                entry("opportunity", List.of("lead-1", actor, "--amount", "100000", "--currency", "EUR")),
                entry("won", List.of("lead-1", actor)),
                entry("lost", List.of("lead-1", actor, "--code", "lost_to_competitor")),
                entry("reopen", List.of("lead-1", actor)),
                entry("history", List.of("lead-1")),
                entry("queue", List.of("--stage", "mql")),
                entry("watch", List.of()),
                entry("account", List.of("acme.com")),
                entry("model validate", List.of(model.toString())),
                entry("model push", List.of(model.toString())),
                entry("model publish", List.of("candidate@1")),
                entry("model rollback", List.of()),
                entry("model list", List.of()),
                entry("model show", List.of("default@1")),
                entry("backtest", List.of("--version", "default@1")),
                entry("funnel", List.of("--by", "month")),
                entry("spend", List.of("--id", "s1", "--channel", "paid_search", "--from", "2026-01-01", "--to",
                                       "2026-02-01", "--amount", "100000", "--currency", "EUR")));
    }

    @TestFactory
    Stream<DynamicTest> everyCommandThatCallsTheServerEndsWithDeadlineExceeded() throws IOException {
        Map<String, List<String>> arguments = sampleArguments();
        return commands().stream().filter(command -> !OFFLINE.containsKey(command))
                         .map(command -> dynamicTest("leadscore " + command, () -> {
                             assertThat(arguments).as("sample arguments for 'leadscore %s': add them to "
                                                      + "sampleArguments(), or list the command in OFFLINE with why "
                                                      + "it sends nothing", command)
                                                  .containsKey(command);
                             endsWithDeadlineExceeded(command, arguments.get(command));
                         }));
    }

    private void endsWithDeadlineExceeded(String command, List<String> arguments) {
        List<String> args = new ArrayList<>(List.of("--deadline", DEADLINE.toSeconds() + "s"));
        args.addAll(Arrays.asList(command.split(" ")));
        args.addAll(arguments);
        server.forget();

        long started = System.nanoTime();
        CliRun.Result result = cli.run(args.toArray(String[]::new));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("%s: time until it ended", command).isLessThan(ENDS_WITHIN);
        assertThat(server.seen()).as("%s: calls the server saw", command).isNotEmpty().allSatisfy(call ->
                assertThat(call.timeLeft()).as("%s: deadline of %s", command, call.rpc()).isNotNull()
                                           .isPositive().isLessThanOrEqualTo(DEADLINE));
        if (LISTING_EACH_LEAD.contains(command)) {
            assertThat(result.exit()).as("%s: exit code, stderr %s", command, result.err())
                                     .isEqualTo(ExitCodes.PARTLY_REJECTED);
            assertThat(result.out()).as("%s: output", command).contains("DEADLINE_EXCEEDED");
        } else {
            assertThat(result.exit()).as("%s: exit code, stderr %s", command, result.err())
                                     .isEqualTo(ExitCodes.FAILED);
            assertThat(result.err().lines()).as("%s: stderr", command).hasSize(1).first().asString()
                                            .startsWith("error: DEADLINE_EXCEEDED: ");
        }
    }

    @Test
    void theListsAboveNameOnlyCommandsThatExist() throws IOException {
        List<String> commands = commands();

        assertThat(commands).hasSizeGreaterThan(30); // all of them, found from the subcommand maps
        assertThat(commands).containsAll(sampleArguments().keySet()).containsAll(OFFLINE.keySet())
                            .containsAll(LISTING_EACH_LEAD);
    }

    /** Every command that runs (no subcommands of its own), as its words after {@code leadscore}. */
    static List<String> commands() {
        List<String> commands = new ArrayList<>();
        collect(LeadscoreCli.commandLine(new LeadscoreCli()), "", commands);
        return commands;
    }

    private static void collect(CommandLine command, String path, List<String> commands) {
        if (command.getSubcommands().isEmpty()) {
            commands.add(path);
            return;
        }
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) { // not an alias of a command collected under its own name
                collect(sub, path.isEmpty() ? name : path + " " + name, commands);
            }
        });
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
