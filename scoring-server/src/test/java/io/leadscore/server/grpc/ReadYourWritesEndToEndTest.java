package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.ListLeadsResponse;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.RecordEngagementResponse;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.StreamEngagementsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A command's reply carries the store position of what it stored; a read given it as {@code min_position} answers
 * once the projection has applied it, so a caller always reads its own write, on whichever node it asks.
 */
class ReadYourWritesEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    private LeadscoreClient client() {
        return leadscore.client();
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    /** Registers the lead; returns the reply's store position. */
    private long register(String leadId) {
        return client().registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.com")
                                                        .setRegisteredAt(at(NOW.minusSeconds(3600))).build())
                       .getPosition();
    }

    private static Engagement demoRequest(String leadId, String eventId) {
        return Engagement.newBuilder().setLeadId(leadId).setEventId(eventId).setType("demo_requested")
                         .setOccurredAt(at(NOW.minusSeconds(60))).build();
    }

    @Test
    void aReadGivenTheReplysPositionSeesTheWrite() {
        // Given a registered lead
        long registered = register("lead-1");

        // When it requests a demo, and its score is read with the reply's position
        RecordEngagementResponse recorded = client().recordEngagement(demoRequest("lead-1", "demo-1"));
        long position = recorded.getPosition();
        GetScoreResponse read = leadscore.scores().getScore(GetScoreRequest.newBuilder().setLeadId("lead-1")
                                                                           .setMinPosition(position).build());

        // Then each reply names where its events lie, later writes further on, and the read shows the demo request
        assertThat(registered).isPositive();
        assertThat(position).isGreaterThan(registered);
        assertThat(read.getScore().getVersion()).isEqualTo(recorded.getScore().getVersion());
        assertThat(read.getScore().getEngagementScore()).isPositive();
        assertThat(read.getPosition()).isGreaterThanOrEqualTo(position);
    }

    @Test
    void batchesAndQueuesWaitForThePositionToo() {
        // Given two leads, the second written last
        register("lead-1");
        long position = register("lead-2");

        // When both are read in a batch and in the queue at the second's position
        BatchGetScoresResponse batch = leadscore.scores().batchGetScores(BatchGetScoresRequest.newBuilder()
                .addLeadIds("lead-1").addLeadIds("lead-2").setMinPosition(position).build());
        ListLeadsResponse queue = leadscore.scores().listLeads(ListLeadsRequest.newBuilder().setMinPosition(position)
                                                                                .build());

        // Then both see both leads, and say they are current through at least that position
        assertThat(batch.getScoresList()).extracting(LeadScore::getLeadId).containsExactly("lead-1", "lead-2");
        assertThat(queue.getLeadsList()).extracting(LeadScore::getLeadId)
                                        .containsExactlyInAnyOrder("lead-1", "lead-2");
        assertThat(batch.getPosition()).isGreaterThanOrEqualTo(position);
        assertThat(queue.getPosition()).isGreaterThanOrEqualTo(position);
    }

    @Test
    void aRepeatNamesAPositionThatCoversWhatItRepeats() {
        // Given a lead that requested a demo (a caller whose reply was lost)
        register("lead-1");
        long first = client().recordEngagement(demoRequest("lead-1", "demo-1")).getPosition();

        // When the same engagement is sent again
        RecordEngagementResponse again = client().recordEngagement(demoRequest("lead-1", "demo-1"));

        // Then it stores nothing, and its position, the store's head, still makes a read wait for the first
        assertThat(again.getOutcome()).isEqualTo(io.leadscore.v1.EngagementOutcome.ENGAGEMENT_OUTCOME_DUPLICATE);
        assertThat(again.getPosition()).isGreaterThanOrEqualTo(first);
    }

    @Test
    void aStreamsSummaryNamesTheHighestPositionItStored() {
        // Given two leads
        register("lead-1");
        register("lead-2");

        // When engagements of both arrive in one stream
        StreamEngagementsResponse summary = client().streamEngagements(List.of(
                demoRequest("lead-1", "a"), demoRequest("lead-2", "b"), demoRequest("lead-1", "c")).iterator());

        // Then the summary names a position, and a read there sees all of it
        assertThat(summary.getPosition()).isPositive();
        LeadScore read = leadscore.scores().getScore(GetScoreRequest.newBuilder().setLeadId("lead-1")
                                                                    .setMinPosition(summary.getPosition()).build())
                                  .getScore();
        assertThat(read.getVersion()).isEqualTo(summary.getScoresList().stream()
                .filter(score -> score.getLeadId().equals("lead-1")).findFirst().orElseThrow().getVersion());
    }

    @Test
    void aPositionTheStoreNeverHandedOutIsOutOfRange() {
        // Given a lead, the store's last write
        long position = register("lead-1");

        // When a read asks for a position far beyond it
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> leadscore.scores().getScore(
                GetScoreRequest.newBuilder().setLeadId("lead-1").setMinPosition(position + 1_000_000).build()));

        // Then it is refused at once as out of range
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(error.getStatus().getDescription()).contains("min_position");
    }

    @Test
    void aNegativePositionIsInvalid() throws Exception {
        // Given a lead
        register("lead-1");

        // When a read asks for position -1
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> leadscore.scores().getScore(
                GetScoreRequest.newBuilder().setLeadId("lead-1").setMinPosition(-1).build()));

        // Then the field is named
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        BadRequest details = StatusProto.fromThrowable(error).getDetails(0).unpack(BadRequest.class);
        assertThat(details.getFieldViolations(0).getField()).isEqualTo("min_position");
    }
}
