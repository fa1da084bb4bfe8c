package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.leadscore.server.InProcessLeadscore;
import io.leadscore.server.LeadscoreExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.GetAccountScoreRequest;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A lead registered a few minutes ahead of the server clock (within the five minutes of skew ingest accepts) reads
 * like any other: "now" for it is its latest fact, and it never fails a batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeadAheadOfTheClockEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant AHEAD = NOW.plus(Duration.ofMinutes(3));

    @RegisterExtension
    static final LeadscoreExtension LEADSCORE = LeadscoreExtension.withClockStoppedAt(NOW);
    private ScoreServiceGrpc.ScoreServiceBlockingStub scores;

    @BeforeAll
    void registerALeadOnTimeAndOneAhead() {
        scores = LEADSCORE.scores();
        var leads = LEADSCORE.leads();
        leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("on-time").setAccountDomain("acme.com")
                                              .setRegisteredAt(ts(NOW.minus(Duration.ofHours(1)))).build());
        leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("ahead").setAccountDomain("acme.com")
                                              .setRegisteredAt(ts(AHEAD)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> scores.batchGetScores(BatchGetScoresRequest.newBuilder()
                .addLeadIds("on-time").addLeadIds("ahead").build()).getNotFoundLeadIdsCount() == 0);
    }

    @Test
    void getScoreReadsALeadAheadOfTheClockAsOfItsLatestFact() {
        var score = scores.getScore(GetScoreRequest.newBuilder().setLeadId("ahead").build()).getScore();
        assertThat(score.getLeadId()).isEqualTo("ahead");
        assertThat(score.getAsOf()).isEqualTo(ts(AHEAD));
    }

    @Test
    void aBatchWithALeadAheadOfTheClockAnswersForEveryLead() {
        BatchGetScoresResponse batch = scores.batchGetScores(BatchGetScoresRequest.newBuilder()
                .addLeadIds("on-time").addLeadIds("ahead").addLeadIds("nobody").build());
        assertThat(batch.getScoresList()).extracting(score -> score.getLeadId()).containsExactly("on-time", "ahead");
        assertThat(batch.getScores(0).getAsOf()).isEqualTo(ts(NOW));
        assertThat(batch.getNotFoundLeadIdsList()).containsExactly("nobody");
    }

    @Test
    void scoreAtAndExplanationWithoutATimeAreAsOfTheLatestFact() {
        assertThat(scores.getScoreAt(GetScoreAtRequest.newBuilder().setLeadId("ahead").build()).getScore().getAsOf())
                .isEqualTo(ts(AHEAD));
        assertThat(scores.explainScore(ExplainScoreRequest.newBuilder().setLeadId("ahead").build()).getScore()
                         .getAsOf()).isEqualTo(ts(AHEAD));
    }

    @Test
    void anExplicitTimeBeforeRegistrationIsStillAFailedPrecondition() {
        assertThatThrownBy(() -> scores.getScoreAt(GetScoreAtRequest.newBuilder().setLeadId("ahead")
                                                                    .setAsOf(ts(NOW)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, refused -> {
                    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(refused.getStatus().getDescription()).contains("registered later");
                });
    }

    @Test
    void anAccountWithALeadAheadOfTheClockIsScored() {
        var account = scores.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountDomain("acme.com").build());
        assertThat(account.getContacts()).isEqualTo(2);
    }

    @Test
    void aQueueWithALeadAheadOfTheClockListsIt() {
        var queue = scores.listLeads(io.leadscore.v1.ListLeadsRequest.newBuilder().build());
        assertThat(queue.getLeadsList()).extracting(score -> score.getLeadId()).contains("on-time", "ahead");
    }

    private static Timestamp ts(Instant instant) {
        return InProcessLeadscore.timestamp(instant);
    }
}
