package io.leadscore.server.grpc;

import io.leadscore.server.grpc.status.GrpcErrors;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Closes calls that keep the server waiting: a call whose next message the server has asked for and not received
 * within the idle timeout (headers and nothing else, a unary request never half-closed, an engagement stream that
 * went quiet) ends with {@code DEADLINE_EXCEEDED}, and whatever it held (an in-flight place, a stream's state) is
 * released. The clock only runs while the server is waiting on the client: a stream the server is pacing is not
 * idle, and a call that has half-closed is the server's to answer, however long it streams.
 */
public final class IdleCallTimeout implements ServerInterceptor {

    private final Duration timeout;
    private final ScheduledExecutorService timer;

    /** @param timer runs the checks; a closed call's handler learns of it there, so it must not be busy */
    public IdleCallTimeout(Duration timeout, ScheduledExecutorService timer) {
        this.timeout = timeout;
        this.timer = timer;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        IdleWatch<Q, R> watch = new IdleWatch<>(call, timeout, timer, this::idle);
        return watch.watch(next.startCall(watch.call(), headers));
    }

    private StatusRuntimeException idle() {
        return GrpcErrors.toStatus(new LeadscoreException(
                ErrorCode.DEADLINE_EXCEEDED, "",
                "the call sent no message for " + timeout.toMillis() + " ms while the server waited for one; "
                + "idle calls are closed"));
    }
}
