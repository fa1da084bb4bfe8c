package io.leadscore.bench.harness;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load: {@code inFlight} lanes, each issuing its next call the moment the previous one answers, on the
 * gRPC callback thread (no client thread pool between calls). Latency is recorded only after the warm-up, which
 * has to be long: JIT and connection warm-up under-read short runs several times over.
 */
public final class ClosedLoopLoad {

    /** One call, given a random source for choosing what to ask. */
    @FunctionalInterface
    public interface Call {
        ListenableFuture<?> issue(SplittableRandom random);
    }

    /** What a run measured, after the warm-up. */
    public record Result(long calls, long errors, Duration measured, Histogram latencyNanos) {

        public double callsPerSecond() {
            return calls / (measured.toNanos() / 1e9);
        }

        public double millisAt(double percentile) {
            return latencyNanos.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private final Call call;
    private final int inFlight;

    public ClosedLoopLoad(Call call, int inFlight) {
        this.call = call;
        this.inFlight = inFlight;
    }

    public Result run(Duration warmUp, Duration measure) throws InterruptedException {
        Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(30), 3);
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long stopAt = measureFrom + measure.toNanos();
        CountDownLatch lanesDone = new CountDownLatch(inFlight);
        for (int lane = 0; lane < inFlight; lane++) {
            new Lane(new SplittableRandom(lane * 7919L + 1), measureFrom, stopAt, recorder, calls, errors, firstError,
                     lanesDone).next();
        }
        if (!lanesDone.await(warmUp.plus(measure).plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("calls still in flight a minute after the run ended");
        }
        if (errors.get() > 0 && calls.get() == 0) {
            throw new IllegalStateException("every call failed", firstError.get());
        }
        if (calls.get() == 0) {
            throw new IllegalStateException("no call answered within the measured " + measure.toSeconds()
                                            + " s: lengthen --duration");
        }
        return new Result(calls.get(), errors.get(), Duration.ofNanos(stopAt - measureFrom),
                          recorder.getIntervalHistogram());
    }

    private final class Lane implements FutureCallback<Object> {
        private final SplittableRandom random;
        private final long measureFrom;
        private final long stopAt;
        private final Recorder recorder;
        private final AtomicLong calls;
        private final AtomicLong errors;
        private final AtomicReference<Throwable> firstError;
        private final CountDownLatch done;
        private long issuedAt;

        Lane(SplittableRandom random, long measureFrom, long stopAt, Recorder recorder, AtomicLong calls,
             AtomicLong errors, AtomicReference<Throwable> firstError, CountDownLatch done) {
            this.random = random;
            this.measureFrom = measureFrom;
            this.stopAt = stopAt;
            this.recorder = recorder;
            this.calls = calls;
            this.errors = errors;
            this.firstError = firstError;
            this.done = done;
        }

        void next() {
            if (System.nanoTime() >= stopAt) {
                done.countDown();
                return;
            }
            issuedAt = System.nanoTime();
            Futures.addCallback(call.issue(random), this, MoreExecutors.directExecutor());
        }

        @Override
        public void onSuccess(Object result) {
            long now = System.nanoTime();
            // Throughput counts every answer inside the window, also of a call issued before it: counting only calls
            // that began and ended inside it reads zero once a call (a stream of 500) lasts about as long as the window.
            if (now >= measureFrom && now <= stopAt) {
                calls.incrementAndGet();
                if (issuedAt >= measureFrom) {
                    recorder.recordValue(now - issuedAt);
                }
            }
            next();
        }

        @Override
        public void onFailure(Throwable failure) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, failure);
            next();
        }
    }
}
