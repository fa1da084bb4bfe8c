package io.leadscore.client.cli;

import com.google.protobuf.Timestamp;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.AdjustedPart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code leadscore adjust}: adjusts a lead's score by hand, with who and why. */
@Command(name = "adjust", description = "Adjust a lead's score by hand; it shows in explanations.")
final class AdjustCommand extends LeadscoreSubcommand {

    @Parameters(index = "0", description = "Lead id.")
    String leadId;
    @Parameters(index = "1", description = "Points to add; negative subtracts.")
    double points;
    @Option(names = "--actor", required = true, description = "Who adjusts.")
    String actor;
    @Option(names = "--reason", required = true, description = "Why.")
    String reason;
    @Option(names = "--fit", description = "Adjust the fit score instead of engagement.")
    boolean fit;
    @Option(names = "--until", description = "When the adjustment stops counting, ISO-8601 (default: never).")
    Instant until;
    @Option(names = "--id", description = "Adjustment id; repeat it to make a retry a no-op (default: random).")
    String adjustmentId;

    @Override
    public Integer call() {
        return run((client, out) -> {
            AdjustScoreRequest.Builder request = AdjustScoreRequest.newBuilder()
                    .setLeadId(leadId).setPoints(points).setActor(actor).setReason(reason)
                    .setAdjustmentId(adjustmentId == null ? UUID.randomUUID().toString() : adjustmentId)
                    .setPart(fit ? AdjustedPart.ADJUSTED_PART_FIT : AdjustedPart.ADJUSTED_PART_ENGAGEMENT);
            if (until != null) {
                request.setExpiresAt(Timestamp.newBuilder().setSeconds(until.getEpochSecond()).setNanos(until.getNano()));
            }
            AdjustScoreResponse response = client.adjustScore(request.build());
            if (cli.json) {
                Output.json(out, response);
            } else {
                Output.scores(out, List.of(response.getScore()));
                if (response.getDuplicate()) {
                    out.println("(already applied; nothing changed)");
                }
            }
        });
    }
}
