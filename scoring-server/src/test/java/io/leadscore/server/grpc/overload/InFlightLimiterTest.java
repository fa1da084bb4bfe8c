package io.leadscore.server.grpc.overload;

import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.leadscore.server.RawBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The limiter in front of a handler that holds its calls until released, on the in-process transport. */
class InFlightLimiterTest {

    private static final MethodDescriptor<byte[], byte[]> HOLD = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("test.Held/Hold")
            .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(RawBytes.MARSHALLER).build();

    private final InFlightLimiter limiter = new InFlightLimiter(2, Duration.ofMillis(150));
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(2);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        ServerServiceDefinition held = ServerServiceDefinition.builder("test.Held")
                // Like Leadscore's handlers, it never blocks: the answer is sent when the test releases it.
                .addMethod(HOLD, ServerCalls.asyncUnaryCall((request, response) -> {
                    entered.countDown();
                    CompletableFuture.runAsync(() -> {
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        response.onNext(request);
                        response.onCompleted();
                    }, callers);
                })).build();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(Executors.newCachedThreadPool())
                                       .addService(ServerInterceptors.intercept(held, limiter)).build().start();
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
    void refusesPastTheLimitWithARetryDelayAndFreesPlacesWhenCallsEnd() throws Exception {
        Future<byte[]> first = callers.submit(() -> hold(10));
        Future<byte[]> second = callers.submit(() -> hold(10));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(2);

        assertThatThrownBy(() -> hold(5)).isInstanceOfSatisfying(StatusRuntimeException.class, busy -> {
            assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(busy.getStatus().getDescription()).contains("limit of 2 calls in flight");
            com.google.rpc.Status details = StatusProto.fromThrowable(busy);
            assertThat(details).isNotNull();
            assertThat(details.getDetailsList()).anySatisfy(any -> {
                assertThat(any.is(RetryInfo.class)).isTrue();
                assertThat(any.unpack(RetryInfo.class).getRetryDelay().getNanos()).isEqualTo(150_000_000);
            });
        });
        assertThat(limiter.inFlight()).as("a refused call holds no place").isEqualTo(2);

        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(new byte[] {10});
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(new byte[] {10});
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight() == 0);
        assertThat(hold(7)).isEqualTo(new byte[] {7});
    }

    @Test
    void aCancelledCallGivesItsPlaceBack() throws Exception {
        ClientCall<byte[], byte[]> call = channel.newCall(HOLD, CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() { }, new Metadata());
        call.request(1);
        call.sendMessage(new byte[] {1});
        call.halfClose();
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight() == 1);
        call.cancel("the caller gave up", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight() == 0);
    }

    @Test
    void aCallHoldsNoPlaceUntilItsRequestIsComplete() {
        // Given a call that sent its headers only
        ClientCall<byte[], byte[]> call = channel.newCall(HOLD, CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() { }, new Metadata());
        call.request(1);
        // Then it holds no place, and places go to calls that carry work
        Future<byte[]> first = callers.submit(() -> hold(1));
        Future<byte[]> second = callers.submit(() -> hold(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> entered.getCount() == 0);
        assertThat(limiter.inFlight()).isEqualTo(2);
        call.cancel("never sent", null);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> first.isDone() && second.isDone());
        // When its request is complete, then it takes a place like any other
        ClientCall<byte[], byte[]> late = channel.newCall(HOLD, CallOptions.DEFAULT);
        late.start(new ClientCall.Listener<>() { }, new Metadata());
        late.request(1);
        late.sendMessage(new byte[] {3});
        assertThat(limiter.inFlight()).isZero();
        late.halfClose();
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight() == 0 && entered.getCount() == 0);
    }

    private byte[] hold(int value) {
        return ClientCalls.blockingUnaryCall(channel, HOLD, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                                             new byte[] {(byte) value});
    }
}
