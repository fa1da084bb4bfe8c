package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.LeadscoreServer;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.StreamEngagementsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits the transport enforces, on the real (Netty) transport: the message size, and the rate of one engagement
 * stream, which slows the sender instead of refusing what it sent.
 */
class TransportLimitsTest {

    private static final int STREAM_RATE = 200;

    @RegisterExtension
    static final LeadscoreExtension LEADSCORE = LeadscoreExtension.withSystemClock().overNetty()
            .withConfig(config -> config.withMaxStreamRate(STREAM_RATE))
            .withChannel(channel -> channel.maxInboundMessageSize(16 * 1024 * 1024));

    @Test
    void aMessageOverTheSizeLimitIsRefusedBeforeItIsReadAndStoresNothing() {
        String huge = "x".repeat(LeadscoreServer.MAX_MESSAGE_BYTES + 1024);
        StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> LEADSCORE.leads().registerLead(
                        RegisterLeadRequest.newBuilder().setLeadId("too-big").setCampaign(huge).build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        StatusRuntimeException absent = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> LEADSCORE.scores().getScore(
                        GetScoreRequest.newBuilder().setLeadId("too-big").build()));
        assertThat(absent.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        // Just under the limit is read, and refused by validation with the field named.
        StatusRuntimeException invalid = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> LEADSCORE.leads().registerLead(
                        RegisterLeadRequest.newBuilder().setLeadId("big").setCampaign("x".repeat(100_000)).build()));
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(invalid.getStatus().getDescription()).contains("campaign");
    }

    @Test
    void aStreamFasterThanItsRateIsSlowedDownAndLosesNothing() {
        LEADSCORE.leads().registerLead(
                RegisterLeadRequest.newBuilder().setLeadId("paced").build());
        int engagements = 3 * STREAM_RATE / 2;
        Timestamp at = Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond() - 60).build();
        java.util.Iterator<Engagement> sent = java.util.stream.IntStream.range(0, engagements).mapToObj(
                i -> Engagement.newBuilder().setLeadId("paced").setEventId("e-" + i).setType("page_view")
                               .setOccurredAt(at).build()).iterator();
        long started = System.nanoTime();
        // The client sends as fast as flow control lets it: the server's pacing is all that holds it back.
        StreamEngagementsResponse response = LeadscoreClient.create(LEADSCORE.channel(), Duration.ofSeconds(60))
                                                            .streamEngagements(sent);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.getAccepted()).isEqualTo(engagements);
        assertThat(response.getRejected()).isZero();
        // At the rate, after the burst of a tenth of a second's worth, the stream cannot finish sooner than this.
        double floorSeconds = (engagements - STREAM_RATE / 10.0 - 64) / STREAM_RATE;
        assertThat(took.toMillis()).isGreaterThanOrEqualTo((long) (floorSeconds * 1000));
    }
}
