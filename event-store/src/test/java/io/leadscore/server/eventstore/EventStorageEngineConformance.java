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
                .transactions(connection().supportsTransactions() ? connection()::startSession : null)
                .eventSerializer(TestSerializer.xStreamSerializer())
                .snapshotSerializer(TestSerializer.xStreamSerializer());
        return customization.apply(builder).build();
    }

    /**
     * Two nodes appending at once on a replica set: every batch is one transaction, so positions are contiguous
     * and commit in order, and a tracker reading while they write never sees a gap. Skipped where the store has
     * no transactions (the embedded server), which gap-aware tracking covers instead.
     */
    @org.junit.jupiter.api.Test
    void writersOnTwoNodesLeaveNoGapsWhereTheStoreHasTransactions() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(connection().supportsTransactions(), "no transactions here");
        MongoIndexedEventStorageEngine one = createEngine(b -> b.singleWriter(false));
        MongoIndexedEventStorageEngine two = createEngine(b -> b.singleWriter(false));
        int appends = 200;
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int w = 0; w < 4; w++) {
            MongoIndexedEventStorageEngine node = w % 2 == 0 ? one : two;
            String aggregate = "lead-" + w;
            done.add(writers.submit(() -> {
                for (int a = 0; a < appends; a++) {
                    node.appendEvents(new org.axonframework.eventhandling.GenericDomainEventMessage<>(
                            "Lead", aggregate, a, aggregate + "#" + a));
                }
                return null;
            }));
        }
        java.util.Set<Long> gapsSeen = new java.util.HashSet<>();
        org.axonframework.eventhandling.TrackingToken token = null;
        int read = 0;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (read < 4 * appends && System.nanoTime() < deadline) {
            for (java.util.concurrent.Future<?> writer : done) {
                if (writer.isDone()) {
                    writer.get(); // a writer that failed fails the test now, not after a minute
                }
            }
            for (org.axonframework.eventhandling.TrackedEventMessage<?> event
                    : one.readEvents(token, false).toList()) {
                token = event.trackingToken();
                gapsSeen.addAll(((org.axonframework.eventhandling.GapAwareTrackingToken) token).getGaps());
                read++;
            }
        }
        for (java.util.concurrent.Future<?> writer : done) {
            writer.get();
        }
        writers.shutdown();
        org.assertj.core.api.Assertions.assertThat(gapsSeen).isEmpty();
        org.assertj.core.api.Assertions.assertThat(token.position()).hasValue(4L * appends);
    }
}
