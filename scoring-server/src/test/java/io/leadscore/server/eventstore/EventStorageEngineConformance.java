package io.leadscore.server.eventstore;

import com.mongodb.client.MongoDatabase;
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

    /** A database to use; it is emptied before each test. */
    protected abstract MongoDatabase database();

    /** True for the embedded server, which this process alone writes. */
    protected abstract boolean embedded();

    /** The durability barrier of the store under test. */
    protected abstract DurabilityBarrier durability();

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
                .durability(durability())
                .singleWriter(embedded())
                .eventSerializer(TestSerializer.xStreamSerializer())
                .snapshotSerializer(TestSerializer.xStreamSerializer());
        return customization.apply(builder).build();
    }
}
