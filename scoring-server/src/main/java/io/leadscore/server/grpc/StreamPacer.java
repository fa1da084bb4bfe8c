package io.leadscore.server.grpc;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds one client stream to a rate by asking for its next message only when the rate allows: the generic cell
 * rate algorithm (each message is due one interval after the previous, with a burst of a tenth of a second's
 * worth). The sender is slowed by gRPC flow control; nothing it sent is refused.
 */
final class StreamPacer {

    private final long intervalNanos;
    private final long burstNanos;
    private final ScheduledExecutorService scheduler;
    private long nextDueNanos;

    StreamPacer(int perSecond, ScheduledExecutorService scheduler) {
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perSecond);
        this.burstNanos = TimeUnit.MILLISECONDS.toNanos(100);
        this.scheduler = scheduler;
        this.nextDueNanos = System.nanoTime() - burstNanos;
    }

    /** Runs {@code requestNext} now, or later when the stream is ahead of its rate. */
    void pace(Runnable requestNext) {
        long delay = reserve();
        if (delay <= 0) {
            requestNext.run();
        } else {
            scheduler.schedule(requestNext, delay, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized long reserve() {
        long now = System.nanoTime();
        long due = Math.max(nextDueNanos, now - burstNanos);
        nextDueNanos = due + intervalNanos;
        return due - now;
    }
}
