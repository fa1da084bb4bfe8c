package io.leadscore.server.readside;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How far the score projection has got through the store, and reads that wait until it has got somewhere: a caller
 * passes the position its command's reply carried as {@code min_position}, and its read, on any node, waits until
 * that node's projection has applied every event up to there, so that it sees its own write.
 * <p>
 * The projection reports each batch once it is committed; what passes by without a batch of lead events (a rebuild
 * that jumps to the head, events of other kinds) is caught by asking the processor where it is, every few
 * milliseconds while anyone waits.
 */
public final class ProjectionProgress {

    /** A read waiting for {@code position}. */
    private record Waiter(long position, CompletableFuture<Long> ready) {
    }

    private static final Duration POLL = Duration.ofMillis(10);

    private final Supplier<Optional<TrackingToken>> processorPosition;
    private final LongSupplier storeHead;
    private final ScheduledExecutorService timer;
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(Comparator.comparingLong(Waiter::position));
    private final java.util.concurrent.atomic.AtomicReference<TrackingToken> applied =
            new java.util.concurrent.atomic.AtomicReference<>();
    private boolean polling;

    /**
     * @param processorPosition where the projection's processor is (empty while it holds no segment)
     * @param storeHead         the highest position the store has handed out
     * @param timer             runs the polls and the waits' time limits
     */
    public ProjectionProgress(Supplier<Optional<TrackingToken>> processorPosition, LongSupplier storeHead,
                              ScheduledExecutorService timer) {
        this.processorPosition = processorPosition;
        this.storeHead = storeHead;
        this.timer = timer;
    }

    /** The position up to which the projection has applied every event it has seen: 0 before the first. */
    public long appliedPosition() {
        return positionOf(applied.get());
    }

    private static long positionOf(TrackingToken token) {
        TrackingToken plain = token == null ? null : WrappedToken.unwrapLowerBound(token);
        return plain == null ? 0 : plain.position().orElse(0);
    }

    /**
     * Called by the projection once a batch up to {@code token} is committed, and by the poll. Never goes back: the
     * processor's status, which the poll reads, follows a batch's commit a moment later.
     */
    public void advancedTo(TrackingToken token) {
        if (token == null) {
            return;
        }
        TrackingToken reached = applied.accumulateAndGet(token, ProjectionProgress::furthest);
        synchronized (this) {
            for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (passed(reached, waiter.position())) {
                    it.remove();
                    waiter.ready().complete(positionOf(reached));
                }
            }
        }
    }

    /**
     * Completes with the applied position once the projection has applied {@code position} and everything below
     * it; fails with {@code UNAVAILABLE} when it has not within {@code within}, and at once with {@code
     * OUT_OF_RANGE} for a position the store never handed out. Completes at once for 0 (no wish).
     */
    public CompletableFuture<Long> await(long position, Duration within) {
        if (position <= 0 || passed(applied.get(), position)) {
            return CompletableFuture.completedFuture(appliedPosition());
        }
        long head = storeHead.getAsLong();
        if (position > head) {
            return CompletableFuture.failedFuture(new LeadscoreException(
                    ErrorCode.OUT_OF_RANGE, "min_position",
                    "the store holds no position " + position + " yet: its head is " + head));
        }
        Waiter waiter = new Waiter(position, new CompletableFuture<>());
        synchronized (this) {
            waiting.add(waiter);
            if (!polling) {
                polling = true;
                timer.schedule(this::poll, POLL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        // A batch committed between the first look and the registration would otherwise be missed until the poll.
        advancedTo(applied.get());
        java.util.concurrent.ScheduledFuture<?> limit =
                timer.schedule(() -> expire(waiter, within), within.toMillis(), TimeUnit.MILLISECONDS);
        waiter.ready().whenComplete((reached, failure) -> limit.cancel(false));
        return waiter.ready();
    }

    private void expire(Waiter waiter, Duration within) {
        synchronized (this) {
            if (!waiting.remove(waiter)) {
                return;
            }
        }
        waiter.ready().completeExceptionally(new LeadscoreException(
                ErrorCode.UNAVAILABLE, "min_position",
                "the score projection of this node had not reached position " + waiter.position() + " within "
                + within.toMillis() + " ms (it is at " + appliedPosition() + "); try again, or another node"));
    }

    private void poll() {
        try {
            processorPosition.get().ifPresent(this::advancedTo);
        } finally {
            synchronized (this) {
                polling = !waiting.isEmpty();
                if (polling) {
                    timer.schedule(this::poll, POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** The token that has passed every position either has passed. */
    private static TrackingToken furthest(TrackingToken current, TrackingToken next) {
        if (current == null) {
            return next;
        }
        TrackingToken before = WrappedToken.unwrapLowerBound(current);
        TrackingToken after = WrappedToken.unwrapLowerBound(next);
        if (before == null || after == null) {
            return after == null ? current : next;
        }
        if (before instanceof GapAwareTrackingToken one && after instanceof GapAwareTrackingToken other) {
            return one.upperBound(other);
        }
        return after.position().orElse(0) >= before.position().orElse(0) ? next : current;
    }

    /**
     * Whether {@code token} covers {@code position}: at or below its index and not among its gaps. Positions below
     * it that are still gaps are not waited for: a single writer's gaps are positions never written (it commits
     * in order), and on a replica set appends commit in position order, so neither has gaps that may still fill;
     * only writers sharing a store without transactions do, and there a read waits for its own write alone.
     */
    static boolean passed(TrackingToken token, long position) {
        if (token == null) {
            return false;
        }
        TrackingToken plain = WrappedToken.unwrapLowerBound(token);
        if (plain instanceof GapAwareTrackingToken gapAware) {
            return position <= gapAware.getIndex() && !gapAware.getGaps().contains(position);
        }
        return plain != null && plain.position().orElse(-1) >= position;
    }
}
