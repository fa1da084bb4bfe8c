package io.leadscore.server.grpc;

import io.leadscore.server.grpc.status.GrpcErrors;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Answers a request that is not a valid protobuf message of its method (truncated or garbled bytes, invalid UTF-8
 * in a string field) with {@code INVALID_ARGUMENT} and one log line. grpc-java parses requests before any
 * interceptor sees them and reports a parse failure as {@code UNKNOWN} with a stack trace in the log; so the
 * services are wrapped to receive raw bytes, parsed inside this guard's listener where the failure can be caught.
 */
public final class MalformedRequestGuard implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(MalformedRequestGuard.class);

    /**
     * {@code service}, parsing its requests under the guard, then through {@code outer} (the last runs first). The
     * interceptors of {@code service} itself see parsed messages; those in {@code outer} see raw bytes and are
     * there for calls (credentials, limits, metrics), not messages.
     */
    public static ServerServiceDefinition guard(ServerServiceDefinition service, List<ServerInterceptor> outer) {
        List<ServerInterceptor> chain = new java.util.ArrayList<>();
        chain.add(new MalformedRequestGuard());
        chain.addAll(outer);
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service), chain);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        return new Guarded<>(next.startCall(call, headers), call);
    }

    private static final class Guarded<Q, R>
            extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

        private final ServerCall<Q, R> call;
        private boolean refused;

        Guarded(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call) {
            super(delegate);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            if (refused) {
                return;
            }
            try {
                super.onMessage(message);
            } catch (StatusRuntimeException e) {
                if (!(e.getCause() instanceof InvalidProtocolBufferException malformed)) {
                    throw e;
                }
                refused = true;
                String method = call.getMethodDescriptor().getFullMethodName();
                log.warn("refused a malformed request to {}: {}", method, malformed.getMessage());
                StatusRuntimeException status = GrpcErrors.toStatus(new LeadscoreException(
                        ErrorCode.INVALID_ARGUMENT, "",
                        "the request is not a valid " + requestName(method) + " message: " + malformed.getMessage()));
                call.close(status.getStatus(), status.getTrailers());
            }
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
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
            // A refused request never reached its handler as a request: to the handler the call was cancelled.
            if (refused) {
                super.onCancel();
            } else {
                super.onComplete();
            }
        }
    }

    /** {@code leadscore.v1.LeadService/RegisterLead} to {@code RegisterLead request}, for the caller's message. */
    private static String requestName(String fullMethodName) {
        return fullMethodName.substring(fullMethodName.lastIndexOf('/') + 1) + " request";
    }
}
