package io.leadscore.server.replay;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Iterates a cursor on a thread of its own and hands every batch to each of several consumers, a few batches
 * ahead. The database serves the next batch only when the cursor asks, so this loop does nothing but ask:
 * decoding and folding happen on the consumers' threads meanwhile. Queues are bounded, so memory is too.
 */
final class PrefetchingReader<T> implements AutoCloseable {

    private static final int BATCH = 1000;
    private static final int BATCHES_AHEAD = 8;

    private final Iterator<T> cursor;
    private final List<BlockingQueue<List<T>>> queues = new ArrayList<>();
    private final List<T> end = new ArrayList<>(0);
    private final AtomicLong read = new AtomicLong();
    private final Thread reader;
    private volatile RuntimeException failure;
    private volatile boolean closed;

    /** Starts reading {@code cursor}; the caller closes the cursor after closing this. */
    PrefetchingReader(Iterator<T> cursor, int consumers) {
        this.cursor = cursor;
        for (int i = 0; i < consumers; i++) {
            queues.add(new ArrayBlockingQueue<>(BATCHES_AHEAD));
        }
        this.reader = new Thread(this::readAll, "leadscore-replay-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Documents read from the cursor so far. */
    long read() {
        return read.get();
    }

    private void readAll() {
        try {
            List<T> batch = new ArrayList<>(BATCH);
            while (!closed && cursor.hasNext()) {
                batch.add(cursor.next());
                if (batch.size() == BATCH) {
                    read.addAndGet(batch.size());
                    put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            read.addAndGet(batch.size());
            if (!batch.isEmpty()) {
                put(batch);
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(List<T> batch) throws InterruptedException {
        for (BlockingQueue<List<T>> queue : queues) {
            while (!closed && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                // that consumer is busy; stop waiting once the replay has closed
            }
        }
    }

    /** Consumer {@code consumer}'s next batch (shared with the others: read only), or null at the end. */
    List<T> next(int consumer) {
        try {
            List<T> batch = queues.get(consumer).take();
            if (batch == end) {
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            reader.join(5_000);
            // Consumers still waiting (the replay was abandoned) get the end at once.
            for (BlockingQueue<List<T>> queue : queues) {
                queue.clear();
                queue.offer(end);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
