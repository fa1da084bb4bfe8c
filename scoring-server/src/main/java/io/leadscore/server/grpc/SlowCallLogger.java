package io.leadscore.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;

/**
 * Gives every call a request id (the caller's {@code x-request-id}, or a new one, echoed in the response headers
 * and readable by handlers through {@link #currentRequestId}) and logs calls slower than a threshold as one structured line: method, status, duration and request id, never
 * the request's content (it may hold personal data).
 */
public final class SlowCallLogger implements ServerInterceptor {

    public static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger log = LoggerFactory.getLogger(SlowCallLogger.class);
    private static final Context.Key<String> CURRENT_REQUEST_ID = Context.key("leadscore-request-id");

    private final long thresholdNanos;

    public SlowCallLogger(Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String given = headers.get(REQUEST_ID);
        String requestId = given != null && given.matches("[A-Za-z0-9._:-]{1,64}") ? given
                : UUID.randomUUID().toString();
        long started = System.nanoTime();
        ServerCall<Q, R> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(REQUEST_ID, requestId);
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                long elapsed = System.nanoTime() - started;
                if (elapsed > thresholdNanos && call.getMethodDescriptor().getType().serverSendsOneMessage()) {
                    log.atWarn().addKeyValue("event", "slow_call")
                       .addKeyValue("method", call.getMethodDescriptor().getFullMethodName())
                       .addKeyValue("status", status.getCode().name())
                       .addKeyValue("durationMs", elapsed / 1_000_000)
                       .addKeyValue("requestId", requestId)
                       .log("slow call {} took {} ms ({}), request {}", call.getMethodDescriptor().getFullMethodName(),
                            elapsed / 1_000_000, status.getCode(), requestId);
                }
                super.close(status, trailers);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(CURRENT_REQUEST_ID, requestId), timed, headers,
                                      next);
    }

    /** The request id of the call being handled on this thread, or "none" outside a call. */
    public static String currentRequestId() {
        String id = CURRENT_REQUEST_ID.get();
        return id == null ? "none" : id;
    }
}
