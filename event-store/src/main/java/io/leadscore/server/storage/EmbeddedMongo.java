package io.leadscore.server.storage;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.leadscore.server.storage.h2.StoreFormat;
import io.leadscore.server.storage.h2.WriteGate;
import io.leadscore.server.eventstore.GroupCommitter;
import de.bwaldvogel.mongo.bson.BinData;
import org.bson.types.Binary;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The in-process MongoDB-wire server used when no {@code --mongo-uri} is given: mongo-java-server on an H2 MVStore
 * file under the data directory, bound to loopback on a free port and reached through the same driver code as a
 * real MongoDB.
 *
 * <p>Durability: the MVStore keeps writes in memory until it commits. Event appends therefore wait on a
 * {@link GroupCommitter} that commits the store once for all appends waiting at that moment; everything else is
 * committed within about a second by a background task. The retention time is cut to zero so that the chunks of
 * frequent small commits are reused at once instead of piling up for the default 45 s.
 *
 * <p>Every commit holds the {@link WriteGate}: it stores only whole write commands, never a document whose index
 * entries are not written yet. So the MVStore's own background commits and housekeeping (which store whatever the
 * maps hold at that moment) are off, and that task does both, committing under the gate.
 *
 * <p>Lead keys are not in this store but in a {@link KeyFile} beside it: this store frees a deleted document's
 * pages without clearing them, so an erased key would stay readable in the file until the space was reused.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    private static final String STORE_FILE = "leadscore.mv.db";
    private static final String KEY_FILE = "lead-keys.mv.db";
    /** How often the background task commits what no append waited for (MVStore's own default delay). */
    private static final long BACKGROUND_COMMIT_MILLIS = 1_000;
    /** Below this fill rate (percent) the background task rewrites chunks, as MVStore's housekeeping did. */
    private static final int TARGET_FILL_RATE = 50;
    /** Bytes of live pages the background task rewrites per round at most. */
    private static final int COMPACT_WRITE_BYTES = 1 << 20;

    private final MVStore store;
    private final MongoServer server;
    private final InetSocketAddress address;
    private final GroupCommitter committer;
    private final Path file;
    private final KeyFile keys;
    private final WriteGate gate = new WriteGate();
    private final ScheduledExecutorService background;

    private EmbeddedMongo(Path file, Path keyFile) {
        this.file = file;
        this.keys = KeyFile.open(keyFile);
        // No commit of MVStore's own: neither on a timer nor, from a writing thread, once unsaved pages pass a
        // memory threshold (autoCommitDisabled alone leaves that one on), since either may store half a write.
        this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().autoCommitBufferSize(0)
                                          .open();
        this.store.setRetentionTime(0);
        H2Backend backend = StoreFormat.open(store, gate);
        this.server = new MongoServer(backend);
        this.address = server.bind();
        this.committer = new GroupCommitter(this::commit);
        this.background = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "leadscore-store-background");
            thread.setDaemon(true);
            return thread;
        });
        background.scheduleWithFixedDelay(this::commitInBackground, BACKGROUND_COMMIT_MILLIS,
                                          BACKGROUND_COMMIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Commits the store between write commands. */
    private void commit() {
        // Keys first: an event that reaches the file must find the key of its sealed values there after a crash.
        keys.commit();
        gate.exclusively(store::commit);
    }

    /** What MVStore's background thread did: commit now and then, and rewrite sparse chunks. */
    private void commitInBackground() {
        try {
            // Under the gate too: rewriting pages must not meet a write command halfway.
            gate.exclusively(() -> store.compact(TARGET_FILL_RATE, COMPACT_WRITE_BYTES));
            commit();
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                log.warn("background commit of {} failed; the next one retries", file, e);
            }
        }
    }

    /** Opens (or creates) the store under {@code dataDir} and starts the server on a free loopback port. */
    public static EmbeddedMongo start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        return new EmbeddedMongo(dataDir.resolve(STORE_FILE), dataDir.resolve(KEY_FILE));
    }

    /** The connection string of the running server, for the MongoDB driver. */
    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /** The barrier that makes acknowledged writes durable. */
    public GroupCommitter committer() {
        return committer;
    }

    /**
     * Keeps the chunks a long read needs (a backtest reading all history for minutes) until the returned handle
     * is closed. With the retention time at zero, the store's background maintenance would otherwise rewrite and
     * free chunks under a running scan ("Chunk ... not found"); registering the version in use holds them. Writes
     * go on meanwhile.
     */
    public LongReadHold pinCurrentVersion() {
        MVStore.TxCounter pinned = store.registerVersionUsage();
        return () -> store.deregisterVersionUsage(pinned);
    }

    /**
     * Every document of a collection, read straight from the store's map in the order it keeps them (insertion
     * order), as driver documents: no wire protocol, and none of the collection lock that the server holds while
     * it collects a query's matches (a scan of a million events through the server stalls appends for longer than
     * the driver's read timeout). The map is read as of the call (H2's MVCC); hold {@link #pinCurrentVersion}
     * while iterating.
     */
    public Iterator<org.bson.Document> scan(String database, String collection) {
        String name = "databases." + database + "." + collection;
        if (!store.hasMap(name)) {
            return java.util.Collections.emptyIterator();
        }
        Iterator<? extends Map<String, Object>> documents = StoreFormat.documents(store, name).values().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return documents.hasNext();
            }

            @Override
            public org.bson.Document next() {
                org.bson.Document document = new org.bson.Document();
                documents.next().forEach((key, value) -> document.put(key, value instanceof BinData binary
                        ? new Binary(binary.getData()) : value));
                return document;
            }
        };
    }

    /** The lead keys, in a file of their own so that an erased one can be destroyed for good. */
    public KeyFile keyFile() {
        return keys;
    }

    /** The store file, for log lines and operators. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        background.shutdown();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.close();
        server.shutdownNow();
        gate.exclusively(() -> {
            if (!store.isClosed()) {
                store.close();
            }
        });
        keys.close();
    }
}
