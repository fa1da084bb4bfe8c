package io.leadscore.client.impl;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs calls under one deadline for all their attempts and tries again what is worth trying again (see
 * {@link #worthAnotherAttempt}), waiting full-jitter exponential backoff, at least the server's retry delay, and
 * never past the deadline.
 */
final class RetryingCalls {

    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_BACKOFF_MILLIS = 50;

    private final Duration deadline;

    RetryingCalls(Duration deadline) {
        this.deadline = deadline;
    }

    Duration deadline() {
        return deadline;
    }

    /**
     * Runs {@code call} on {@code stub} until it succeeds or fails for good; each attempt gets the stub with the
     * shared deadline and its own {@link AttemptTrace}.
     */
    <S extends AbstractStub<S>, T> T call(Idempotence idempotence, S stub, Function<S, T> call) {
        Deadline callDeadline = Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS);
        for (int attempt = 1; ; attempt++) {
            AttemptTrace trace = new AttemptTrace();
            try {
                return call.apply(stub.withDeadline(callDeadline).withInterceptors(trace));
            } catch (StatusRuntimeException e) {
                Optional<Duration> serverDelay = RetryAdvice.retryDelay(e);
                if (attempt >= MAX_ATTEMPTS || !worthAnotherAttempt(e, serverDelay, idempotence, trace)) {
                    throw e;
                }
                long backoff = serverDelay.orElse(Duration.ZERO).toMillis()
                               + ThreadLocalRandom.current().nextLong(BASE_BACKOFF_MILLIS << attempt);
                if (callDeadline.timeRemaining(TimeUnit.MILLISECONDS) <= backoff) {
                    throw e;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Whether a failed attempt earns another:
     * <ul>
     * <li>never once the server has answered: a stream that started answering (progress of a publish or a
     * backtest) is not started again, that would repeat its work behind the caller's back;</li>
     * <li>{@code RESOURCE_EXHAUSTED} only when the server says when to come back ({@code google.rpc.RetryInfo}). The
     * server sends it only from its admission limit, which refuses a call before its handler runs, so even a write
     * that is not idempotent was not done. Other exhaustion (a message over the size limit) would fail again;</li>
     * <li>{@code UNAVAILABLE} for an idempotent call always. For any other call only when the attempt never reached
     * a connected transport: a server that answers {@code UNAVAILABLE}, or a connection lost after sending, may have
     * stored the write (the event store can fail after writing), and a second attempt would repeat or refuse it;</li>
     * <li>nothing else: {@code DEADLINE_EXCEEDED} has no time left, the rest would fail again.</li>
     * </ul>
     */
    static boolean worthAnotherAttempt(StatusRuntimeException failure, Optional<Duration> serverDelay,
                                       Idempotence idempotence, AttemptTrace trace) {
        if (trace.answered()) {
            return false;
        }
        Status.Code code = failure.getStatus().getCode();
        if (code == Status.Code.RESOURCE_EXHAUSTED) {
            return serverDelay.isPresent();
        }
        if (code == Status.Code.UNAVAILABLE) {
            return idempotence == Idempotence.IDEMPOTENT || !trace.mayHaveReachedServer();
        }
        return false;
    }
}
