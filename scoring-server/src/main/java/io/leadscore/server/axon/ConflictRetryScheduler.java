package io.leadscore.server.axon;

import io.grpc.Context;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Retries a command that lost an optimistic-concurrency race, until its call's deadline: another writer stored the
 * lead's next event first ({@link ConcurrencyException}) or created the lead first
 * ({@link AggregateStreamCreationException}, which is not a ConcurrencyException). The storage engine reports its
 * unique (lead, sequence) index refusing the second write as one of the two. With several writers on one store this
 * is ordinary contention, and all a caller could do with ABORTED is send the same command again; the retry reloads
 * the lead (Axon drops it from the cache when the unit of work rolls back) and decides afresh. Every other failure
 * goes back to the caller at once.
 * <p>
 * Delays grow exponentially with equal jitter, so that writers that collided do not collide again in step. The retry
 * is dispatched in the gRPC {@link Context} of the call that sent the command: {@link ExpiredCallFilter} then sees its
 * deadline, and a call that ended stops retrying. A command without a deadline (sent outside a call, or by a call
 * that set none) gets one of {@link #BUDGET_WITHOUT_DEADLINE}.
 * <p>
 * Axon's {@code IntervalRetryScheduler} cannot do this: it treats a failure as final when any of its causes fails
 * its predicate, and a lost race always carries the driver's duplicate-key exception as its cause.
 */
final class ConflictRetryScheduler implements RetryScheduler {

    static final Duration FIRST_DELAY = Duration.ofMillis(2);
    static final Duration MAX_DELAY = Duration.ofMillis(100);
    static final Duration BUDGET_WITHOUT_DEADLINE = Duration.ofSeconds(10);

    private final ScheduledExecutorService executor;
    private final RandomGenerator jitter;

    ConflictRetryScheduler(ScheduledExecutorService executor, RandomGenerator jitter) {
        this.executor = executor;
        this.jitter = jitter;
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable dispatchTask) {
        Context call = Context.current();
        if (!isConflict(lastFailure) || call.isCancelled()) {
            return false;
        }
        if (call.getDeadline() == null) {
            // Cancels itself at the deadline, which ends the retries like a call's deadline does.
            call = call.withDeadlineAfter(BUDGET_WITHOUT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS, executor);
        }
        long delayMillis = delayMillis(failures.size());
        if (call.getDeadline().timeRemaining(TimeUnit.MILLISECONDS) <= delayMillis) {
            return false;
        }
        try {
            executor.schedule(call.wrap(dispatchTask), delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
    }

    /** The delay before retry {@code attempt} (1 for the first): half the backoff fixed, half random. */
    long delayMillis(int attempt) {
        long backoff = Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << Math.min(attempt - 1, 20));
        long half = backoff / 2;
        return half + jitter.nextLong(backoff - half + 1);
    }

    /** Whether {@code failure}, or what it wraps, is a lost race for the same lead. */
    static boolean isConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyException || cause instanceof AggregateStreamCreationException) {
                return true;
            }
        }
        return false;
    }
}
