package io.leadscore.server.grpc.overload;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.leadscore.client.BearerToken;
import io.leadscore.server.RawBytes;
import io.leadscore.server.grpc.security.AccessControl;
import io.leadscore.server.grpc.security.CallerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Per-caller shares of the in-flight bound, behind real access control, on the in-process transport. */
class InFlightSharesTest {

    private static final MethodDescriptor<byte[], byte[]> HOLD = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("leadscore.v1.ScoreService/GetScore")
            .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(RawBytes.MARSHALLER).build();
    private static final BearerToken BUSY = new BearerToken("token-of-the-busy-caller");
    private static final BearerToken QUIET = new BearerToken("token-of-the-quiet-caller");

    private final InFlightLimiter limiter = new InFlightLimiter(4, 2, Duration.ofMillis(150));
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        AccessControl access = new AccessControl(CallerRegistry.of(List.of(
                new CallerRegistry.Entry("busy", List.of("reader"),
                                         CallerRegistry.sha256Hex("token-of-the-busy-caller"), null),
                new CallerRegistry.Entry("quiet", List.of("reader"),
                                         CallerRegistry.sha256Hex("token-of-the-quiet-caller"), null))));
        ServerServiceDefinition held = ServerServiceDefinition.builder("leadscore.v1.ScoreService")
                .addMethod(HOLD, ServerCalls.asyncUnaryCall((request, response) -> CompletableFuture.runAsync(() -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    response.onNext(request);
                    response.onCompleted();
                }, callers))).build();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(Executors.newCachedThreadPool())
                                       .addService(ServerInterceptors.intercept(held, limiter, access)).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() {
        release.countDown();
        channel.shutdownNow();
        server.shutdownNow();
        callers.shutdownNow();
    }

    @Test
    void aCallerAtItsShareIsRefusedWhileAnotherCallerIsStillServed() throws Exception {
        // Given the busy caller holds its share of two places
        Future<byte[]> first = callers.submit(() -> hold(BUSY, 1));
        Future<byte[]> second = callers.submit(() -> hold(BUSY, 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight() == 2);

        // When it asks for a third, then it is refused, naming its share
        assertThatThrownBy(() -> hold(BUSY, 3)).isInstanceOfSatisfying(StatusRuntimeException.class, busy -> {
            assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(busy.getStatus().getDescription()).contains("share of 2 of the server's 4 calls in flight");
        });

        // And another caller still gets a place
        Future<byte[]> quiet = callers.submit(() -> hold(QUIET, 4));
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight() == 3);
        release.countDown();
        assertThat(quiet.get(5, TimeUnit.SECONDS)).isEqualTo(new byte[] {4});
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(new byte[] {1});
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(new byte[] {2});
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight() == 0);
    }

    private byte[] hold(BearerToken token, int value) {
        return ClientCalls.blockingUnaryCall(channel, HOLD, CallOptions.DEFAULT.withCallCredentials(token)
                                                                              .withDeadlineAfter(10, TimeUnit.SECONDS),
                                             new byte[] {(byte) value});
    }
}
