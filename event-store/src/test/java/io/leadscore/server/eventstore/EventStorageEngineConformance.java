package io.leadscore.server.eventstore;

import com.mongodb.client.MongoDatabase;
import io.leadscore.server.storage.MongoConnection;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngineTest;
import org.axonframework.eventsourcing.utils.TestSerializer;
import org.junit.jupiter.api.BeforeEach;

import java.util.function.UnaryOperator;

/**
 * Axon's own conformance suite for batching storage engines, run against {@link MongoIndexedEventStorageEngine}.
 * Subclasses say which MongoDB-wire server backs it; every inherited test runs against each.
 */
abstract class EventStorageEngineConformance
        extends BatchingEventStorageEngineTest<MongoIndexedEventStorageEngine, MongoIndexedEventStorageEngine.Builder> {

    /** The store under test; its database is emptied before each test. */
    protected abstract MongoConnection connection();

    private MongoDatabase database() {
        return connection().database();
    }

    @BeforeEach
    void createSubject() {
        database().drop();
        setTestSubject(createEngine());
    }

    @Override
    protected MongoIndexedEventStorageEngine createEngine(
            UnaryOperator<MongoIndexedEventStorageEngine.Builder> customization) {
        MongoIndexedEventStorageEngine.Builder builder = MongoIndexedEventStorageEngine.builder()
                .database(database())
                .durability(connection().durability())
                .singleWriter(connection().isEmbedded())
                .eventSerializer(TestSerializer.xStreamSerializer())
                .snapshotSerializer(TestSerializer.xStreamSerializer());
        return customization.apply(builder).build();
    }
}
