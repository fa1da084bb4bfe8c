package io.leadscore.server.storage;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.leadscore.server.eventstore.GroupCommitter;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The in-process MongoDB-wire server used when no {@code --mongo-uri} is given: mongo-java-server on an H2 MVStore
 * file under the data directory, bound to loopback on a free port and reached through the same driver code as a
 * real MongoDB.
 *
 * <p>Durability: the MVStore keeps writes in memory until it commits, which it does by itself only about once a
 * second. Event appends therefore wait on a {@link GroupCommitter} that commits the store once for all appends
 * waiting at that moment. The retention time is cut to zero so that the chunks of frequent small commits are
 * reused at once instead of piling up for the default 45 s.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final String STORE_FILE = "leadscore.mv.db";

    private final MVStore store;
    private final MongoServer server;
    private final InetSocketAddress address;
    private final GroupCommitter committer;
    private final Path file;

    private EmbeddedMongo(Path file) {
        this.file = file;
        this.store = new MVStore.Builder().fileName(file.toString()).open();
        this.store.setRetentionTime(0);
        H2Backend backend = new H2Backend(store);
        this.server = new MongoServer(backend);
        this.address = server.bind();
        this.committer = new GroupCommitter(store::commit);
    }

    /** Opens (or creates) the store under {@code dataDir} and starts the server on a free loopback port. */
    public static EmbeddedMongo start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        return new EmbeddedMongo(dataDir.resolve(STORE_FILE));
    }

    /** The connection string of the running server, for the MongoDB driver. */
    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /** The barrier that makes acknowledged writes durable. */
    public GroupCommitter committer() {
        return committer;
    }

    /** The store file, for log lines and operators. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        committer.close();
        server.shutdownNow();
        if (!store.isClosed()) {
            store.close();
        }
    }
}
