package io.leadscore.server.overload;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the calls the server works on at once. Past the bound a call is refused at once with
 * {@code RESOURCE_EXHAUSTED} and a {@code google.rpc.RetryInfo} saying when to try again, instead of waiting in an
 * unbounded queue until its deadline has long passed. Calls that stream answers (watches, publish and backtest
 * progress) are long-lived by design and are not counted; a {@code StreamEngagements} call counts once, and its own
 * flow control bounds the engagements it has in flight.
 */
public final class InFlightLimiter implements ServerInterceptor {

    private final int limit;
    private final Duration retryAfter;
    private final AtomicInteger inFlight = new AtomicInteger();

    public InFlightLimiter(int limit, Duration retryAfter) {
        if (limit < 1) {
            throw new IllegalArgumentException("--max-in-flight must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    /** Calls being worked on now (for the {@code leadscore.grpc.in.flight} gauge). */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (!call.getMethodDescriptor().getType().serverSendsOneMessage()) {
            return next.startCall(call, headers);
        }
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            StatusRuntimeException busy = busy();
            call.close(busy.getStatus(), busy.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        // Every call ends in exactly one of onComplete and onCancel.
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                release.run();
                super.onComplete();
            }

            @Override
            public void onCancel() {
                release.run();
                super.onCancel();
            }
        };
    }

    private StatusRuntimeException busy() {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(io.grpc.Status.Code.RESOURCE_EXHAUSTED.value())
                .setMessage("the server is at its limit of " + limit + " calls in flight; retry after "
                            + retryAfter.toMillis() + " ms")
                .addDetails(Any.pack(RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                                .setSeconds(retryAfter.getSeconds())
                                .setNanos(retryAfter.getNano()))
                        .build()))
                .build());
    }
}
