package io.leadscore.client.cli;

import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.v1.ScoreLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;

/** {@code leadscore explain}: why a lead has its score, line by line. */
@Command(name = "explain", description = "Explain a lead's score rule by rule; the lines add up to the score.")
final class ExplainCommand extends LeadscoreSubcommand {

    @Parameters(index = "0", description = "Lead id.")
    String leadId;
    @Option(names = "--at", description = "Explain the score as of this ISO-8601 time (default: the current score).")
    Instant at;

    @Override
    public Integer call() {
        return run((client, out) -> {
            ExplainScoreResponse response = client.explainScore(leadId, at);
            if (cli.json) {
                Output.json(out, response);
                return;
            }
            Output.scores(out, List.of(response.getScore()));
            out.printf("grade %s, engagement level %d (%s), demo intent %s, as of %s%n%n",
                       response.getScore().getFitGrade(), response.getScore().getEngagementLevel(),
                       response.getScore().getMatrix(), response.getScore().getDemoIntent(),
                       Output.instant(response.getScore().getAsOf()));
            Table table = new Table("PART", "KIND", "RULE", "EVENTS", "AT", "RAW", "POINTS", "NOTE");
            for (ScoreLine line : response.getLinesList()) {
                table.row(line.getPart().name().replace("SCORE_PART_", ""),
                          line.getKind().name().replace("SCORE_LINE_KIND_", ""),
                          line.getRuleId().isEmpty() ? "-" : line.getRuleId(),
                          line.getEventIdsCount() == 0 ? "-" : String.join(",", line.getEventIdsList()),
                          line.hasAt() ? Output.instant(line.getAt()) : "-",
                          Output.number(line.getRawPoints()), Output.number(line.getPoints()),
                          line.getNote().isEmpty() ? "-" : line.getNote());
            }
            table.print(out);
        });
    }
}
