package io.leadscore.server.storage.h2;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps commits of the embedded store between write commands. mongo-java-server applies one write as several map
 * updates (an insert puts the document, then one entry per unique index; an ordered insert of many documents does
 * that document after document), and an MVStore commit stores whatever the maps hold at that moment. A commit in
 * the middle of a write, followed by a crash, leaves a document without its index entries: invisible to every
 * indexed lookup (a lead's events, tracking reads, the unique keys that guard sequence numbers and event ids) but
 * read by a direct scan, and free to be stored a second time. So writes pass the gate together, and a commit (or
 * anything else that can store the maps, such as closing) waits until none is in progress and lets none start.
 */
public final class WriteGate {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Runs one write command; any number run at once, never during {@link #exclusively}. */
    public <T> T write(Supplier<T> command) {
        lock.readLock().lock();
        try {
            return command.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code action} (a commit) while no write command is in progress. */
    public void exclusively(Runnable action) {
        lock.writeLock().lock();
        try {
            action.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
