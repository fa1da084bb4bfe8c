package io.leadscore.server;

import io.leadscore.server.grpc.ServingHealth;
import io.leadscore.server.sla.SlaSweeper;
import io.leadscore.server.storage.StoreAvailability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Decides when the server says SERVING: once the score projection has caught up with the store and the SLA breaches
 * overdue while the server was down are recorded; from then on, whenever the store takes writes.
 */
final class Readiness {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    private final ServingHealth health;
    private final BooleanSupplier projectionCaughtUp;
    private final LongSupplier appliedEvents;
    private final StoreAvailability store;
    private final SlaSweeper slaSweeper;
    private final long startedNanos;
    /** Whether the score projection has caught up once (from then on, health follows the store and the lag). */
    private boolean caughtUp;
    /** How far the projection may fall behind before health says NOT_SERVING. */
    private final java.time.Duration maxLag;
    /** Whether the projection is too far behind (per the last lag measurement). */
    private boolean lagging;
    /** Whether the start-up sweep of overdue SLAs has run (it runs once caught up, before SERVING). */
    private boolean firstSweepDone;
    /** Read by the checks without their lock: stopping must never wait for a check (a long first sweep). */
    private volatile boolean closing;
    private ScheduledExecutorService timer;

    Readiness(ServingHealth health, BooleanSupplier projectionCaughtUp, LongSupplier appliedEvents,
              StoreAvailability store, SlaSweeper slaSweeper, long startedNanos, java.time.Duration maxLag) {
        this.maxLag = maxLag;
        this.health = health;
        this.projectionCaughtUp = projectionCaughtUp;
        this.appliedEvents = appliedEvents;
        this.store = store;
        this.slaSweeper = slaSweeper;
        this.startedNanos = startedNanos;
    }

    /** Checks on {@code timer} every {@code period} until SERVING, then follows the store's availability. */
    void watch(ScheduledExecutorService timer, java.time.Duration period) {
        this.timer = timer;
        store.onChange(this::storeAvailabilityChanged);
        timer.scheduleWithFixedDelay(() -> {
            if (checkCaughtUp()) {
                timer.shutdown();
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** NOT_SERVING for good; a check under way (the first SLA sweep, say) is interrupted. */
    void stopping() {
        closing = true;
        health.stopping();
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * Health follows the store once the projection has caught up: NOT_SERVING while it takes no writes, SERVING
     * again when it does. Before catching up, {@link #checkCaughtUp} decides.
     */
    private synchronized void storeAvailabilityChanged(boolean writable) {
        if (caughtUp && !closing) {
            log.warn(writable ? "store available again" : "store unavailable: NOT_SERVING until it is back");
            health.serving(writable && !lagging);
        }
    }

    /**
     * Health follows the projection's lag once it has caught up: NOT_SERVING while the oldest event it has not
     * applied has waited longer than the bound (reads would be that stale), SERVING again once it is back within.
     */
    synchronized void projectionLag(java.time.Duration lag) {
        boolean behind = lag.compareTo(maxLag) > 0;
        if (behind == lagging) {
            return;
        }
        lagging = behind;
        if (caughtUp && !closing) {
            if (behind) {
                log.warn("score projection {} s behind the store (bound {} s): NOT_SERVING until it catches up",
                         lag.toSeconds(), maxLag.toSeconds());
            } else {
                log.warn("score projection back within {} s of the store", maxLag.toSeconds());
            }
            health.serving(!behind && store.isWritable());
        }
    }

    /** Answers whether the server is now SERVING (and the checks may stop). */
    private synchronized boolean checkCaughtUp() {
        try {
            if (closing || !projectionCaughtUp.getAsBoolean() || !store.isWritable()) {
                return false;
            }
            if (!firstSweepDone) {
                // Breaches overdue while the server was down are recorded, and projected by a later check, before
                // it serves: no score is read without them, and no sweep writes under the first reads.
                slaSweeper.sweepSafely();
                firstSweepDone = true;
                return false;
            }
            caughtUp = true;
            slaSweeper.start();
            health.serving(true);
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            long events = appliedEvents.getAsLong();
            log.info("SERVING: score projection caught up, {} events applied in {} s ({} events/s)",
                     events, String.format(java.util.Locale.ROOT, "%.1f", seconds),
                     String.format(java.util.Locale.ROOT, "%.0f", events / Math.max(seconds, 0.001)));
            return true;
        } catch (RuntimeException e) {
            if (!closing) {
                log.warn("health check of the score projection failed: {}", e.toString());
            }
            return false;
        }
    }
}
