package io.leadscore.server.eventstore;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: every caller waits for one store commit that started after its call, and callers that arrive while
 * a commit runs share the next one. Under load one commit covers many appends, so durability costs one fsync per
 * batch instead of one per write.
 */
public final class GroupCommitter implements DurabilityBarrier, AutoCloseable {

    private final Runnable commit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread worker;
    private long requested;
    private long completed;
    /** The last failed commit and the tickets it covered: (failedAfter, failedThrough]. */
    private RuntimeException failure;
    private long failedAfter;
    private long failedThrough;
    private boolean closed;

    /** Starts a committer thread that runs {@code commit} whenever a caller waits. */
    public GroupCommitter(Runnable commit) {
        this.commit = commit;
        this.worker = new Thread(this::run, "leadscore-group-commit");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public void awaitDurable() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the store is closed");
            }
            long ticket = ++requested;
            changed.signalAll();
            while (completed < ticket) {
                if (closed) {
                    throw new IllegalStateException("the store closed before the write was durable");
                }
                changed.awaitUninterruptibly();
            }
            if (failure != null && ticket > failedAfter && ticket <= failedThrough) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            long target;
            lock.lock();
            try {
                while (requested == completed && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (closed && requested == completed) {
                    return;
                }
                target = requested;
            } finally {
                lock.unlock();
            }
            RuntimeException failure = null;
            try {
                commit.run();
            } catch (RuntimeException e) {
                failure = e;
            }
            lock.lock();
            try {
                if (failure != null) {
                    this.failure = failure;
                    this.failedAfter = completed;
                    this.failedThrough = target;
                }
                completed = target;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
