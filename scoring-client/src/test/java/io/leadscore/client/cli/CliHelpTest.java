package io.leadscore.client.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command, to any depth, answers {@code --help} with its usage and exit code 0. */
class CliHelpTest {

    @Test
    void everyCommandAndSubcommandPrintsItsUsageForHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(LeadscoreCli.commandLine(new LeadscoreCli()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(30); // all of them, found from the subcommand maps

        for (List<String> path : paths) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int exit = LeadscoreCli.commandLine(new LeadscoreCli()).setOut(new PrintWriter(out))
                                   .setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));

            assertThat(exit).as("exit of %s", args).isZero();
            assertThat(out.toString()).as("help of %s", args)
                    .startsWith("Usage: leadscore" + (path.isEmpty() ? "" : " " + String.join(" ", path)))
                    .contains("Exit codes:");
            assertThat(err.toString()).as("stderr of %s", args).isEmpty();
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().aliases().length > 0 && !name.equals(sub.getCommandName())) {
                return; // an alias: the same command under another name
            }
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            collect(sub, deeper, paths);
        });
    }
}
