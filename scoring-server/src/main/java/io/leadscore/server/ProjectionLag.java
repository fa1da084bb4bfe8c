package io.leadscore.server;

import org.axonframework.eventhandling.EventTrackerStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How far the score projection is behind the store, in time: how long the oldest stored event it has not applied
 * has waited (zero when it has applied everything). Measured now and then; the gauge and readiness read the last
 * measurement, so neither costs a store read.
 */
final class ProjectionLag {

    private final Supplier<Map<Integer, EventTrackerStatus>> segments;
    private final LongSupplier headPosition;
    private final LongFunction<Optional<Instant>> storedAfter;
    private final Clock clock;
    private final Consumer<Duration> listener;
    private volatile Duration last = Duration.ZERO;

    /**
     * @param segments     where each segment of the projection's processor is
     * @param storedAfter  when the first event after a position was stored
     * @param listener     told every measurement (readiness)
     */
    ProjectionLag(Supplier<Map<Integer, EventTrackerStatus>> segments, LongSupplier headPosition,
                  LongFunction<Optional<Instant>> storedAfter, Clock clock, Consumer<Duration> listener) {
        this.segments = segments;
        this.headPosition = headPosition;
        this.storedAfter = storedAfter;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Measures the lag again and tells the listener. While the processor holds no segment, or a segment has no
     * position yet (stopped for a rebuild, which keeps rows readable; starting up), there is nothing to measure
     * from, and the last measurement stands: reading that as "behind from the first event" would report the store's
     * whole age.
     */
    void measure() {
        Map<Integer, EventTrackerStatus> status = segments.get();
        if (status.isEmpty() || status.values().stream().anyMatch(s -> s.getCurrentPosition().isEmpty())) {
            return;
        }
        long head = headPosition.getAsLong();
        long behind = status.values().stream().mapToLong(s -> s.getCurrentPosition().getAsLong()).min().orElse(0L);
        Duration lag = Duration.ZERO;
        if (behind < head) {
            lag = storedAfter.apply(behind).map(storedAt -> Duration.between(storedAt, clock.instant()))
                             .filter(waited -> !waited.isNegative()).orElse(Duration.ZERO);
        }
        last = lag;
        listener.accept(lag);
    }

    /** The lag at the last measurement. */
    Duration last() {
        return last;
    }

    /** The lag at the last measurement, in seconds (for the gauge). */
    double seconds() {
        return last.toNanos() / 1e9;
    }
}
