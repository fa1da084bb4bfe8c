package io.leadscore.server.storage;

import io.leadscore.server.eventstore.GroupCommitter;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A small MVStore file of secrets by id (the lead keys of the embedded store), kept apart from the main store so
 * that a value can be destroyed for good. MVStore never overwrites in place: a replaced value stays in a freed
 * chunk of the file until that space is reused, and compaction moves chunks without clearing the space they leave.
 * So {@link #overwrite} writes every current value into a new file, syncs it, renames it over the old one and syncs
 * the directory: no byte of the old value is left in any file under the data directory. Concurrent overwrites
 * share one rewrite.
 *
 * <p>A value written by {@link #overwrite} reaches the file only through a rewrite, so a value found in the file
 * after a crash was either never overwritten or was written by a rewrite that left no earlier copy.
 */
public final class KeyFile implements AutoCloseable {

    private static final String MAP = "keys";
    /** The map's pages are small; a million keys need a few hundred KB of cache to be read without I/O mostly. */
    private static final int CACHE_MB = 4;

    private final Path file;
    private final Path rewriting;
    /** Readers and writers share it; a rewrite takes it alone while it swaps the file. */
    private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    /** Overwrites waiting for the next rewrite; reads see them at once. */
    private final Map<String, byte[]> pending = new ConcurrentHashMap<>();
    private final GroupCommitter rewrites;
    private MVStore store;
    private MVMap<String, byte[]> values;

    private KeyFile(Path file) {
        this.file = file;
        this.rewriting = file.resolveSibling(file.getFileName() + ".rewrite");
        try {
            // Left by a rewrite that did not finish: the file it was to replace is complete, and what the rewrite
            // was for was not acknowledged.
            Files.deleteIfExists(rewriting);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + rewriting, e);
        }
        open();
        this.rewrites = new GroupCommitter(this::rewrite);
    }

    /** Opens (or creates) the key file at {@code file}. */
    public static KeyFile open(Path file) {
        return new KeyFile(file);
    }

    /** The value stored for {@code id}, or null. */
    public byte[] get(String id) {
        byte[] overwritten = pending.get(id);
        if (overwritten != null) {
            return overwritten;
        }
        swap.readLock().lock();
        try {
            return values.get(id);
        } finally {
            swap.readLock().unlock();
        }
    }

    /**
     * Stores {@code value} unless {@code id} has one, and commits, so that the value is in the file before the
     * main store's own periodic commit can store anything that needs it.
     *
     * @return the value that stood before, or null when {@code value} was stored
     */
    public byte[] putIfAbsent(String id, byte[] value) {
        return putAllIfAbsent(Map.of(id, value)).get(id);
    }

    /** {@link #putIfAbsent} for many ids in one commit; returns the values that stood, by id. */
    public Map<String, byte[]> putAllIfAbsent(Map<String, byte[]> entries) {
        Map<String, byte[]> standing = new HashMap<>();
        swap.readLock().lock();
        try {
            entries.forEach((id, value) -> {
                byte[] before = pending.containsKey(id) ? pending.get(id) : values.putIfAbsent(id, value);
                if (before != null) {
                    standing.put(id, before);
                }
            });
            store.commit();
        } finally {
            swap.readLock().unlock();
        }
        return standing;
    }

    /** Stores {@code value} for an id that has none yet, and returns once it is on stable storage. */
    public void putDurably(String id, byte[] value) {
        swap.readLock().lock();
        try {
            values.put(id, value);
            store.commit();
            store.sync();
        } finally {
            swap.readLock().unlock();
        }
    }

    /**
     * Replaces the value of {@code id} and returns once no file holds the one before: after a rewrite of the whole
     * file that started after this call, synced with its directory.
     */
    public void overwrite(String id, byte[] value) {
        pending.put(id, value);
        rewrites.awaitDurable();
    }

    /** Puts what was committed on stable storage. */
    public void sync() {
        swap.readLock().lock();
        try {
            store.sync();
        } finally {
            swap.readLock().unlock();
        }
    }

    /** Whether an {@link #overwrite} of {@code id} waits for its rewrite. */
    public boolean isOverwritePending(String id) {
        return pending.containsKey(id);
    }

    /** Commits what was stored since the last commit (the embedded store's group commit calls it first). */
    public void commit() {
        swap.readLock().lock();
        try {
            store.commit();
        } finally {
            swap.readLock().unlock();
        }
    }

    private void rewrite() {
        swap.writeLock().lock();
        try {
            Map<String, byte[]> covered = new HashMap<>(pending);
            MVStore copy = new MVStore.Builder().fileName(rewriting.toString()).cacheSize(CACHE_MB)
                                                .autoCommitDisabled().open();
            MVMap<String, byte[]> copied = copy.openMap(MAP);
            for (Map.Entry<String, byte[]> entry : values.entrySet()) {
                copied.put(entry.getKey(), covered.getOrDefault(entry.getKey(), entry.getValue()));
            }
            covered.forEach(copied::put);
            copy.commit();
            copy.sync();
            copy.close();
            store.close();
            try {
                Files.move(rewriting, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(file.toAbsolutePath().getParent());
            } finally {
                open(); // the old file or the new one: keys stay usable whatever the move did
            }
            covered.forEach(pending::remove);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        } finally {
            swap.writeLock().unlock();
        }
    }

    /** Makes the rename durable: without it a crash may bring the old file, with the old value, back. */
    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private void open() {
        store = new MVStore.Builder().fileName(file.toString()).cacheSize(CACHE_MB).open();
        // Chunks of the frequent small commits are reused at once instead of piling up for 45 s.
        store.setRetentionTime(0);
        values = store.openMap(MAP);
    }

    /** The file, for log lines and operators. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        rewrites.close();
        swap.writeLock().lock();
        try {
            if (!store.isClosed()) {
                store.close();
            }
        } finally {
            swap.writeLock().unlock();
        }
    }
}
