package io.leadscore.client.cli;

import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.LeadScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;

/** {@code leadscore score}: shows leads' scores. */
@Command(name = "score", description = "Show the scores of one or more leads.")
final class ScoreCommand extends LeadscoreSubcommand {

    @Parameters(arity = "1..*", description = "Lead ids.")
    List<String> leadIds;

    @Option(names = "--at", description = "Score as of this ISO-8601 time, computed from the stored events "
                                          + "(decay and windows included).")
    Instant at;

    @Override
    public Integer call() {
        return run((client, out) -> {
            if (at != null) {
                List<LeadScore> scores = new java.util.ArrayList<>();
                for (String leadId : leadIds) {
                    scores.add(client.getScoreAt(leadId, at));
                }
                if (cli.json) {
                    scores.forEach(score -> Output.json(out, GetScoreResponse.newBuilder().setScore(score)));
                } else {
                    Output.scores(out, scores);
                }
                return;
            }
            if (leadIds.size() == 1) {
                LeadScore score = client.getScore(leadIds.get(0));
                if (cli.json) {
                    Output.json(out, GetScoreResponse.newBuilder().setScore(score));
                } else {
                    Output.scores(out, List.of(score));
                }
                return;
            }
            BatchGetScoresResponse response = client.batchGetScores(leadIds);
            if (cli.json) {
                Output.json(out, response);
            } else {
                Output.scores(out, response.getScoresList());
                response.getNotFoundLeadIdsList().forEach(id -> out.println("not found: " + id));
            }
        });
    }
}
