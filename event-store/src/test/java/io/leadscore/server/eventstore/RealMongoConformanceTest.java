package io.leadscore.server.eventstore;

import io.leadscore.server.storage.MongoConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

/** Axon's conformance suite on a real MongoDB replica set in a container; skipped where Docker is absent. */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoConformanceTest extends EventStorageEngineConformance {

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer("mongo:8.0");
    private static MongoConnection connection;

    @BeforeAll
    static void connect() {
        connection = MongoConnection.external(MONGO.getReplicaSetUrl("leadscore"));
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @Override
    protected MongoConnection connection() {
        return connection;
    }
}
