package io.leadscore.client.cli;

import io.leadscore.client.LeadAlerts;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.WatchLeadsRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code leadscore watch}: prints lead alerts as they happen, one line each, until interrupted. Every line ends
 * with the resume token to pass to {@code --resume} after a disconnect.
 */
@Command(name = "watch", description = {"Follow stage changes and SLA breaches live (Ctrl-C to stop).",
        "Each alert is one line (one JSON object with --json), written as it arrives, also into a file or pipe.",
        "It runs until stopped, --limit alerts, or a --deadline given (then it ends with DEADLINE_EXCEEDED)."})
final class WatchCommand extends LeadscoreSubcommand {

    @Option(names = "--stage", converter = ProtoEnumConverter.Stage.class,
            description = "Only leads entering this stage, such as mql (repeatable).")
    List<LeadStage> stages = List.of();
    @Option(names = "--min-score", defaultValue = "0", description = "Only alerts with at least this total score.")
    double minScore;
    @Option(names = "--channel", defaultValue = "", description = "Only this channel.")
    String channel;
    @Option(names = "--account", defaultValue = "", description = "Only this account domain.")
    String account;
    @Option(names = "--resume", defaultValue = "", description = "Continue after the alert with this resume token.")
    String resume;
    @Option(names = "--limit", defaultValue = "0", description = "Stop after this many alerts (0: never).")
    int limit;

    @Override
    public Integer call() {
        return run((client, out) -> {
            WatchLeadsRequest.Builder request = WatchLeadsRequest.newBuilder().setMinTotalScore(minScore)
                    .setChannel(channel).setAccountDomain(account).setResumeToken(resume);
            request.addAllStages(stages);
            // A watch is open-ended: the usual deadline of a call would end it after seconds. Only a --deadline
            // given bounds it.
            try (LeadAlerts alerts = cli.givenDeadline().map(deadline -> client.watchLeads(request.build(), deadline))
                                        .orElseGet(() -> client.watchLeads(request.build()))) {
                AlertPrinter printer = new AlertPrinter(out, cli.json);
                for (int seen = 0; (limit == 0 || seen < limit) && alerts.hasNext(); seen++) {
                    printer.print(alerts.next());
                }
            }
        });
    }
}
