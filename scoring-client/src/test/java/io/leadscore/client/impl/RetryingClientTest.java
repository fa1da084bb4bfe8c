package io.leadscore.client.impl;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.ScoreServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's retries against a server that answers with scripted statuses: what is retried, what is not, and
 * that the deadline bounds all attempts together.
 */
class RetryingClientTest {

    private final Deque<StatusRuntimeException> failures = new ArrayDeque<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void retriesUnavailableAndBusyWithRetryAdvice() throws IOException {
        failures.add(Status.UNAVAILABLE.asRuntimeException());
        failures.add(busy(Duration.ofMillis(20)));
        assertThat(client(Duration.ofSeconds(5)).getScore("lead-1").getLeadId()).isEqualTo("lead-1");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void neverRetriesWhatWouldFailAgain() throws IOException {
        failures.add(Status.RESOURCE_EXHAUSTED.withDescription("message too large").asRuntimeException());
        assertCode(client(Duration.ofSeconds(5)), Status.Code.RESOURCE_EXHAUSTED);
        assertThat(attempts).as("exhaustion without retry advice").hasValue(1);

        attempts.set(0);
        failures.add(Status.INVALID_ARGUMENT.asRuntimeException());
        assertCode(client(Duration.ofSeconds(5)), Status.Code.INVALID_ARGUMENT);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void stopsRetryingWhenTheServersDelayWouldPassTheDeadline() throws IOException {
        failures.add(busy(Duration.ofSeconds(2)));
        failures.add(busy(Duration.ofSeconds(2)));
        long started = System.nanoTime();
        assertCode(client(Duration.ofMillis(500)), Status.Code.RESOURCE_EXHAUSTED);
        assertThat(attempts).hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }

    private LeadscoreClient client(Duration deadline) throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new ScoreServiceGrpc.ScoreServiceImplBase() {
            @Override
            public void getScore(GetScoreRequest request, StreamObserver<GetScoreResponse> response) {
                attempts.incrementAndGet();
                StatusRuntimeException failure = failures.poll();
                if (failure != null) {
                    response.onError(failure);
                    return;
                }
                response.onNext(GetScoreResponse.newBuilder()
                                        .setScore(LeadScore.newBuilder().setLeadId(request.getLeadId())).build());
                response.onCompleted();
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        return LeadscoreClient.create(channel, deadline);
    }

    static StatusRuntimeException busy(Duration retryAfter) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
                .setMessage("busy")
                .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build()))
                .build());
    }

    private static void assertCode(LeadscoreClient client, Status.Code code) {
        assertThatThrownBy(() -> client.getScore("lead-1"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
