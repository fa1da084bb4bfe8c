package io.leadscore.client.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.BatchGetScoresResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;

/** {@code leadscore score}: shows leads' scores. */
@Command(name = "score", description = {"Show the scores of one or more leads.",
        "--json prints one object of the same shape for one lead or many: "
        + "{\"scores\":[...],\"notFoundLeadIds\":[...],\"position\":\"N\"} (leadscore.v1.BatchGetScoresResponse, "
        + "every field present; position: the store position the scores are current through, 0 with --at).",
        "Unknown lead ids are listed (\"not found: id\" in the table) and make the exit code 3."})
final class ScoreCommand extends LeadscoreSubcommand {

    @Parameters(arity = "1..*", description = "Lead ids.")
    List<String> leadIds;

    @Option(names = "--at", description = "Score as of this ISO-8601 time, computed from the stored events "
                                          + "(decay and windows included).")
    Instant at;

    @Override
    public Integer call() {
        return runForExitCode((client, out) -> {
            BatchGetScoresResponse scores = scores(client);
            if (cli.json) {
                Output.jsonWithEveryField(out, scores);
            } else {
                Output.scores(out, scores.getScoresList());
                scores.getNotFoundLeadIdsList().forEach(id -> out.println("not found: " + id));
                out.flush();
            }
            return scores.getNotFoundLeadIdsCount() == 0 ? ExitCodes.OK : ExitCodes.PARTLY_REJECTED;
        });
    }

    /** The leads' scores in one shape, however they were fetched. */
    private BatchGetScoresResponse scores(LeadscoreClient client) {
        if (at == null) {
            return client.batchGetScores(leadIds);
        }
        BatchGetScoresResponse.Builder scores = BatchGetScoresResponse.newBuilder();
        for (String leadId : leadIds) {
            try {
                scores.addScores(client.getScoreAt(leadId, at));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
                scores.addNotFoundLeadIds(leadId);
            }
        }
        return scores.build();
    }
}
