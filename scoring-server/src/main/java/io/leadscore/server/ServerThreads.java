package io.leadscore.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The server's own threads, each pool named after its job; all of them stop with the server. */
final class ServerThreads implements AutoCloseable {

    private final List<ExecutorService> pools = new ArrayList<>();

    /** {@code threads} daemon threads named {@code name-N}. */
    ExecutorService pool(String name, int threads) {
        return remember(threads == 1 ? Executors.newSingleThreadExecutor(named(name))
                                     : Executors.newFixedThreadPool(threads, named(name)));
    }

    /**
     * One daemon timer thread named {@code name-1}. A cancelled task leaves its queue at once: the idle-call timer
     * schedules a check for every call and cancels it when the call ends, and at tens of thousands of calls a
     * second the cancelled checks, left until their time, filled the queue that every schedule sifts through.
     */
    ScheduledExecutorService timer(String name) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named(name));
        timer.setRemoveOnCancelPolicy(true);
        return remember(timer);
    }

    private <T extends ExecutorService> T remember(T pool) {
        synchronized (pools) {
            pools.add(pool);
        }
        return pool;
    }

    /** Interrupts whatever still runs: called after the gRPC server has let its calls finish. */
    @Override
    public void close() {
        synchronized (pools) {
            pools.forEach(ExecutorService::shutdownNow);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
