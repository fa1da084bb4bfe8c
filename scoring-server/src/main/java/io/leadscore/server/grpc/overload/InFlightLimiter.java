package io.leadscore.server.grpc.overload;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.leadscore.server.grpc.status.GrpcErrors;
import io.leadscore.server.grpc.security.AccessControl;
import io.leadscore.server.grpc.security.Caller;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the calls the server works on at once, in total and per caller. Past either bound a call is refused at
 * once with {@code RESOURCE_EXHAUSTED} and a {@code google.rpc.RetryInfo} saying when to try again, instead of
 * waiting in an unbounded queue until its deadline has long passed.
 * <p>
 * A call takes a place only once it carries work: a unary call when its request is complete (half-close), a
 * {@code StreamEngagements} call with its first message. Headers alone hold nothing, so callers that open calls
 * and never send cannot lock everyone else out (the idle timeout closes them). One caller, the authenticated
 * caller's name or, on an open server, one connection, holds at most its share of the places, so one busy caller
 * leaves room for the others. Calls that stream answers (watches, publish and backtest progress) are long-lived by
 * design and are not counted; a {@code StreamEngagements} call counts once, and its own flow control bounds the
 * engagements it has in flight.
 */
public final class InFlightLimiter implements ServerInterceptor {

    private final int limit;
    private final int perCallerLimit;
    private final Duration retryAfter;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Places held per caller; callers holding none are removed, so open servers do not keep one per connection. */
    private final Map<String, Integer> heldByCaller = new HashMap<>();

    /** A limiter without per-caller shares: any one caller may take every place. */
    public InFlightLimiter(int limit, Duration retryAfter) {
        this(limit, limit, retryAfter);
    }

    public InFlightLimiter(int limit, int perCallerLimit, Duration retryAfter) {
        if (limit < 1) {
            throw new IllegalArgumentException("--max-in-flight must be at least 1, not " + limit);
        }
        if (perCallerLimit < 1 || perCallerLimit > limit) {
            throw new IllegalArgumentException("--max-in-flight-per-caller must be 1-" + limit + ", not "
                                               + perCallerLimit);
        }
        this.limit = limit;
        this.perCallerLimit = perCallerLimit;
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
        // Read now: the caller is in the context of the call's start, where access control put it.
        String caller = callerOf(call);
        return new Admission<>(next.startCall(call, headers), call, caller);
    }

    /** The authenticated caller's name, or else the connection the call came on (open servers are loopback only). */
    private static String callerOf(ServerCall<?, ?> call) {
        return AccessControl.currentCaller().map(Caller::name).map(name -> "caller " + name)
                            .orElseGet(() -> "peer " + call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    }

    private enum Verdict { ADMITTED, SERVER_FULL, CALLER_FULL }

    private synchronized Verdict admit(String caller) {
        if (inFlight.get() >= limit) {
            return Verdict.SERVER_FULL;
        }
        int held = heldByCaller.getOrDefault(caller, 0);
        if (held >= perCallerLimit) {
            return Verdict.CALLER_FULL;
        }
        heldByCaller.put(caller, held + 1);
        inFlight.incrementAndGet();
        return Verdict.ADMITTED;
    }

    private synchronized void release(String caller) {
        heldByCaller.computeIfPresent(caller, (name, held) -> held == 1 ? null : held - 1);
        inFlight.decrementAndGet();
    }

    /**
     * Asks for a place when the call first carries work, and gives it back when the call ends (every call ends in
     * exactly one of onComplete and onCancel). A refused call reaches the handler only as a cancellation.
     */
    private final class Admission<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

        private final ServerCall<Q, R> call;
        private final String caller;
        private final boolean unary;
        private boolean asked;
        private boolean admitted;
        private boolean refused;

        Admission(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, String caller) {
            super(delegate);
            this.call = call;
            this.caller = caller;
            this.unary = call.getMethodDescriptor().getType() == MethodDescriptor.MethodType.UNARY;
        }

        @Override
        public void onMessage(Q message) {
            // A unary handler only stores its request until half-close; a stream works on each message.
            if (!unary && !askForPlace()) {
                return;
            }
            if (!refused) {
                super.onMessage(message);
            }
        }

        @Override
        public void onHalfClose() {
            if (askForPlace()) {
                super.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!refused) {
                super.onReady();
            }
        }

        @Override
        public void onComplete() {
            releasePlace();
            if (refused) {
                super.onCancel();
            } else {
                super.onComplete();
            }
        }

        @Override
        public void onCancel() {
            releasePlace();
            super.onCancel();
        }

        /** Whether the call may go on: asks once, and refuses the call if there is no place. */
        private boolean askForPlace() {
            if (!asked) {
                asked = true;
                Verdict verdict = admit(caller);
                admitted = verdict == Verdict.ADMITTED;
                if (!admitted) {
                    refused = true;
                    StatusRuntimeException busy = busy(verdict);
                    call.close(busy.getStatus(), busy.getTrailers());
                }
            }
            return !refused;
        }

        private void releasePlace() {
            if (admitted) {
                admitted = false;
                release(caller);
            }
        }
    }

    private StatusRuntimeException busy(Verdict verdict) {
        return GrpcErrors.busy(verdict == Verdict.SERVER_FULL
                ? "the server is at its limit of " + limit + " calls in flight"
                : "this caller is at its share of " + perCallerLimit + " of the server's " + limit
                  + " calls in flight", retryAfter);
    }

}
