package io.leadscore.server.storage;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.leadscore.server.eventstore.DurabilityBarrier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One MongoDB connection for the whole server: to the embedded server or to a real MongoDB. Everything above this
 * class is the same code either way.
 */
public final class MongoConnection implements AutoCloseable {

    /** Database name used when the URI names none. */
    public static final String DEFAULT_DATABASE = "leadscore";
    /** How often the driver checks the store; a check costs one {@code hello}. */
    static final Duration HEARTBEAT = Duration.ofMillis(500);
    /** Connecting to the store, and how long a check may go unanswered before the store counts as down. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** How long one operation may wait for its answer. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedMongo embedded;
    private final ConnectionString uri;
    private final MongoClient client;
    private final MongoDatabase database;
    private final String description;
    private final StoreAvailability availability = new StoreAvailability();
    private volatile Boolean transactions;

    private MongoConnection(EmbeddedMongo embedded, ConnectionString uri, String description) {
        this.embedded = embedded;
        // Never set serverApi: the embedded server has no `hello` command and the connection would time out.
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(uri)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS)
                                              .addClusterListener(availability))
                // The driver's monitor is what turns availability off (see StoreAvailability). A store that closed
                // its port fails the next heartbeat at once; one that froze (SIGSTOP, a hung host) keeps its
                // connections open and only fails a heartbeat by its timeout. The monitor's connect and read
                // timeouts are both the connect timeout (the driver offers no separate public setting), so a
                // heartbeat every HEARTBEAT with a CONNECT_TIMEOUT sees a silent store within about 1.5 s.
                .applyToServerSettings(b -> b.heartbeatFrequency(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS))
                // Operations keep the long read timeout: a slow query is not a dead store, and the monitor
                // already says when the store is.
                .applyToSocketSettings(b -> b.connectTimeout((int) CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                                             .readTimeout((int) READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .build();
        this.client = MongoClients.create(settings);
        this.database = client.getDatabase(uri.getDatabase() == null ? DEFAULT_DATABASE : uri.getDatabase());
        this.description = description;
        this.uri = uri;
    }

    /** The connection string in use (the embedded server's loopback address when embedded). */
    public String connectionString() {
        return uri.getConnectionString();
    }

    /** Starts the embedded server under {@code dataDir} and connects to it. */
    public static MongoConnection embedded(Path dataDir) {
        EmbeddedMongo embedded = EmbeddedMongo.start(dataDir);
        return new MongoConnection(embedded, new ConnectionString(embedded.connectionString()),
                                   "embedded MongoDB-wire server (H2) at " + embedded.file().toAbsolutePath());
    }

    /** Connects to a real MongoDB. */
    public static MongoConnection external(String uri) {
        ConnectionString connectionString = new ConnectionString(uri);
        return new MongoConnection(null, connectionString, "MongoDB at " + String.join(",", connectionString.getHosts()));
    }

    /**
     * Holds a consistent view of the store for a long read (a replay of all history) until closed. Real MongoDB
     * cursors need nothing of the kind; the embedded store pins its current version.
     */
    public LongReadHold holdSnapshotForLongRead() {
        return embedded == null ? () -> { } : embedded.pinCurrentVersion();
    }

    /**
     * Every document of a collection straight from the embedded store (see {@link EmbeddedMongo#scan}), or empty
     * on MongoDB, where a plain cursor does the same job without blocking writers.
     */
    public java.util.Optional<java.util.Iterator<org.bson.Document>> scanEmbedded(String collection) {
        return embedded == null ? java.util.Optional.empty()
                : java.util.Optional.of(embedded.scan(database.getName(), collection));
    }

    /** The embedded store's key file, or empty on MongoDB, where keys live in a collection. */
    public java.util.Optional<KeyFile> keyFile() {
        return embedded == null ? java.util.Optional.empty() : java.util.Optional.of(embedded.keyFile());
    }

    /** Whether the store takes writes now, as the driver's monitoring sees it. */
    public StoreAvailability availability() {
        return availability;
    }

    public MongoDatabase database() {
        return database;
    }

    /** What makes an acknowledged append durable on this store. */
    public DurabilityBarrier durability() {
        return embedded == null ? DurabilityBarrier.NONE : embedded.committer();
    }

    /** True for the embedded store, which honours no write concern and needs the durability barrier. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /**
     * Whether the store runs multi-document transactions: a replica set or a sharded cluster, never the embedded
     * server or a standalone mongod. Asked of the server once.
     */
    public boolean supportsTransactions() {
        if (embedded != null) {
            return false;
        }
        Boolean known = transactions;
        if (known == null) {
            // isMaster, not hello: every MongoDB that has transactions answers it, older ones too.
            org.bson.Document hello = client.getDatabase("admin").runCommand(new org.bson.Document("isMaster", 1));
            // Transactions came with 4.0 on replica sets (wire version 7) and 4.2 on sharded clusters (8).
            int wire = hello.get("maxWireVersion", Number.class) == null ? 0
                    : hello.get("maxWireVersion", Number.class).intValue();
            known = hello.containsKey("setName") && wire >= 7 || "isdbgrid".equals(hello.getString("msg")) && wire >= 8;
            transactions = known;
        }
        return known;
    }

    /** A new client session, for a transaction; close it. */
    public com.mongodb.client.ClientSession startSession() {
        return client.startSession();
    }

    /** One line for the start-up log: which store, where. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        client.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
