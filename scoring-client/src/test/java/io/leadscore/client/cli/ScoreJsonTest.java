package io.leadscore.client.cli;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.GetScoreAtResponse;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.ScoreServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code score --json} has one shape, {"scores":[...],"notFoundLeadIds":[...]} with both keys always there, for
 * one lead or many, now or {@code --at} a time; unknown leads are listed and exit 3.
 */
class ScoreJsonTest {

    private static final Map<String, LeadScore> STORED = Map.of(
            "lead-1", LeadScore.newBuilder().setLeadId("lead-1").setTotalScore(65).setStage(LeadStage.LEAD_STAGE_MQL)
                               .build(),
            "lead-2", LeadScore.newBuilder().setLeadId("lead-2").setTotalScore(10).build());

    /** Answers from {@link #STORED}; NOT_FOUND for any other lead, as the real service does. */
    private static final class ScoreService extends ScoreServiceGrpc.ScoreServiceImplBase {
        @Override
        public void getScore(GetScoreRequest request, StreamObserver<GetScoreResponse> response) {
            LeadScore score = STORED.get(request.getLeadId());
            if (score == null) {
                response.onError(Status.NOT_FOUND.withDescription("no lead " + request.getLeadId())
                                                 .asRuntimeException());
                return;
            }
            response.onNext(GetScoreResponse.newBuilder().setScore(score).build());
            response.onCompleted();
        }

        @Override
        public void getScoreAt(GetScoreAtRequest request, StreamObserver<GetScoreAtResponse> response) {
            LeadScore score = STORED.get(request.getLeadId());
            if (score == null) {
                response.onError(Status.NOT_FOUND.asRuntimeException());
                return;
            }
            response.onNext(GetScoreAtResponse.newBuilder().setScore(score).build());
            response.onCompleted();
        }

        @Override
        public void batchGetScores(BatchGetScoresRequest request, StreamObserver<BatchGetScoresResponse> response) {
            BatchGetScoresResponse.Builder batch = BatchGetScoresResponse.newBuilder();
            for (String id : request.getLeadIdsList()) {
                if (STORED.containsKey(id)) {
                    batch.addScores(STORED.get(id));
                } else {
                    batch.addNotFoundLeadIds(id);
                }
            }
            response.onNext(batch.build());
            response.onCompleted();
        }
    }

    private final CliRun cli = new CliRun(new ScoreService());

    @AfterEach
    void stop() {
        cli.close();
    }

    @Test
    void oneLeadHasTheShapeOfMany() {
        CliRun.Result one = cli.run("score", "lead-1", "--json");
        CliRun.Result many = cli.run("score", "lead-1", "lead-2", "--json");

        assertThat(one.exit()).isEqualTo(ExitCodes.OK);
        assertThat(one.out()).startsWith("{\"scores\":[{\"leadId\":\"lead-1\",")
                             .contains("\"totalScore\":65.0").contains("\"stage\":\"LEAD_STAGE_MQL\"")
                             .matches("(?s).*],\"notFoundLeadIds\":\\[],\"position\":\"\\d+\"}\\R");
        assertThat(many.exit()).isEqualTo(ExitCodes.OK);
        assertThat(many.out()).startsWith("{\"scores\":[{\"leadId\":\"lead-1\",").contains("{\"leadId\":\"lead-2\",")
                              .matches("(?s).*],\"notFoundLeadIds\":\\[],\"position\":\"\\d+\"}\\R");
        assertThat(many.out().lines()).hasSize(1);
    }

    @Test
    void anAsOfScoreHasTheSameShape() {
        CliRun.Result result = cli.run("score", "lead-1", "lead-2", "--at", "2027-03-01T00:00:00Z", "--json");

        assertThat(result.out().lines()).hasSize(1);
        assertThat(result.out()).startsWith("{\"scores\":[{\"leadId\":\"lead-1\",").contains("{\"leadId\":\"lead-2\",")
                                .matches("(?s).*],\"notFoundLeadIds\":\\[],\"position\":\"\\d+\"}\\R");
    }

    @Test
    void anUnknownLeadIsListedAndExitsThreeForOneLeadAsForMany() {
        CliRun.Result one = cli.run("score", "nobody", "--json");
        CliRun.Result many = cli.run("score", "lead-1", "nobody", "--json");
        CliRun.Result table = cli.run("score", "nobody");

        assertThat(one.exit()).isEqualTo(ExitCodes.PARTLY_REJECTED);
        assertThat(one.out()).matches("\\{\"scores\":\\[],\"notFoundLeadIds\":\\[\"nobody\"],\"position\":\"\\d+\"}\\R");
        assertThat(many.exit()).isEqualTo(ExitCodes.PARTLY_REJECTED);
        assertThat(many.out()).matches("(?s).*],\"notFoundLeadIds\":\\[\"nobody\"],\"position\":\"\\d+\"}\\R");
        assertThat(table.exit()).isEqualTo(ExitCodes.PARTLY_REJECTED);
        assertThat(table.out()).contains("not found: nobody");
    }
}
