package io.leadscore.client.cli;

import io.leadscore.v1.LeadStage;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.WatchLeadsRequest;
import io.leadscore.v1.WatchLeadsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code leadscore watch}: prints lead alerts as they happen, one line each, until interrupted. Every line ends
 * with the resume token to pass to {@code --resume} after a disconnect.
 */
@Command(name = "watch", description = "Follow stage changes and SLA breaches live (Ctrl-C to stop).")
final class WatchCommand extends LeadscoreSubcommand {

    @Option(names = "--stage", description = "Only leads entering this stage, such as mql (repeatable).")
    List<String> stages = List.of();
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
            stages.forEach(s -> request.addStages(LeadStage.valueOf("LEAD_STAGE_" + s.toUpperCase(Locale.ROOT))));
            cli.withChannel(ch -> {
                Iterator<WatchLeadsResponse> alerts = ScoreServiceGrpc.newBlockingStub(ch).watchLeads(request.build());
                int seen = 0;
                while ((limit == 0 || seen < limit) && alerts.hasNext()) {
                    WatchLeadsResponse alert = alerts.next();
                    seen++;
                    if (cli.json) {
                        Output.json(out, alert);
                    } else {
                        out.printf(Locale.ROOT, "%s  %-12s %-16s %-10s %8s  %s  resume=%s%n",
                                   Output.instant(alert.getAt()), alert.getLeadId(),
                                   alert.getStage().name().replace("LEAD_STAGE_", ""), alert.getCause(),
                                   Output.number(alert.getTotalScore()), alert.getChannel(), alert.getResumeToken());
                        out.flush();
                    }
                }
                return null;
            });
        });
    }
}
