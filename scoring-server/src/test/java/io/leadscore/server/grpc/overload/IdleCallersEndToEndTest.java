package io.leadscore.server.grpc.overload;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.leadscore.client.BearerToken;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.RawBytes;
import io.leadscore.server.grpc.security.CallerRegistry;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.StreamEngagementsRequest;
import io.leadscore.v1.StreamEngagementsResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One caller that opens calls and never sends on them cannot lock the others out: on the real server with a
 * callers file, such calls hold no in-flight place, and the idle timeout closes them and what they hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdleCallersEndToEndTest {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final MethodDescriptor<byte[], byte[]> GET_SCORE = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(ScoreServiceGrpc.getGetScoreMethod().getFullMethodName())
            .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(RawBytes.MARSHALLER).build();

    @RegisterExtension
    static final LeadscoreExtension LEADSCORE = LeadscoreExtension.withSystemClock()
            .withCallersFile("""
                    callers:
                      - name: hog
                        roles: [reader, ingest]
                        token_sha256: %s
                      - name: crm-sync
                        roles: [reader, ingest]
                        token_sha256: %s
                    """.formatted(CallerRegistry.sha256Hex("token-of-the-caller-that-never-sends"),
                                  CallerRegistry.sha256Hex("token-of-an-ordinary-caller")))
            .withConfig(config -> config.withIdleTimeout(IDLE_TIMEOUT));
    private final BearerToken hog = new BearerToken("token-of-the-caller-that-never-sends");
    private final BearerToken other = new BearerToken("token-of-an-ordinary-caller");

    @BeforeAll
    void registerALead() {
        LEADSCORE.leads().withCallCredentials(other)
                 .registerLead(RegisterLeadRequest.newBuilder().setLeadId("lead-1").build());
    }

    /** Unary and client-streaming calls the limiter counts now, read from the server's own gauge. */
    private double inFlight() {
        return LEADSCORE.server().registry().get("leadscore.grpc.in.flight").gauge().value();
    }

    @Test
    void twoThousandCallsThatNeverSendLeaveAnotherCallerServedAndAreClosedWhenIdle() {
        // Given one caller with 2,000 calls open that sent their headers and nothing else
        Map<Integer, Status> closed = new ConcurrentHashMap<>();
        List<ClientCall<byte[], byte[]>> idle = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int index = i;
            ClientCall<byte[], byte[]> call = LEADSCORE.channel().newCall(
                    GET_SCORE, CallOptions.DEFAULT.withCallCredentials(hog).withDeadlineAfter(5, TimeUnit.MINUTES));
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    closed.put(index, status);
                }
            }, new Metadata());
            call.request(1);
            idle.add(call);
        }

        // When another caller asks for a score, then it is served within its deadline
        var score = LEADSCORE.scores().withCallCredentials(other)
                             .withDeadlineAfter(5, TimeUnit.SECONDS)
                             .getScore(GetScoreRequest.newBuilder().setLeadId("lead-1").build());
        assertThat(score.getScore().getLeadId()).isEqualTo("lead-1");

        // And the idle calls are closed once idle, with a status that says so
        await().atMost(Duration.ofSeconds(60)).until(() -> closed.size() == idle.size());
        assertThat(closed.values()).hasSize(2_000).allSatisfy(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(status.getDescription()).contains("sent no message for 2000 ms");
        });
    }

    @Test
    void anEngagementStreamThatSendsNothingIsClosedAndGivesItsPlaceBack() throws Exception {
        // Given an engagement stream that sent one engagement and then went quiet
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<StreamEngagementsRequest> stream = LeadServiceGrpc.newStub(LEADSCORE.channel())
                .withCallCredentials(other).streamEngagements(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamEngagementsResponse response) {
                        ended.complete(Status.OK);
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        stream.onNext(StreamEngagementsRequest.newBuilder().setEngagement(io.leadscore.v1.Engagement.newBuilder()
                .setLeadId("lead-1").setEventId("e-1").setType("page_view")
                .setOccurredAt(com.google.protobuf.Timestamp.newBuilder()
                                                            .setSeconds(System.currentTimeMillis() / 1000 - 60)))
                                               .build());
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 1);

        // When it stays quiet past the idle timeout, then it is closed with DEADLINE_EXCEEDED
        Status status = ended.get(30, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        // And its in-flight place is free again
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
    }
}
