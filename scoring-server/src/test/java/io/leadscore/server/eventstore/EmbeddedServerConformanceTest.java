package io.leadscore.server.eventstore;

import com.mongodb.client.MongoDatabase;
import io.leadscore.server.storage.MongoConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Axon's conformance suite on the embedded, H2-backed MongoDB-wire server: always runs. */
class EmbeddedServerConformanceTest extends EventStorageEngineConformance {

    @TempDir
    static Path dataDir;
    private static MongoConnection connection;

    @BeforeAll
    static void startServer() {
        connection = MongoConnection.embedded(dataDir);
    }

    @AfterAll
    static void stopServer() {
        connection.close();
    }

    @Override
    protected MongoDatabase database() {
        return connection.database();
    }

    @Override
    protected boolean embedded() {
        return connection.isEmbedded();
    }

    @Override
    protected DurabilityBarrier durability() {
        return connection.durability();
    }
}
