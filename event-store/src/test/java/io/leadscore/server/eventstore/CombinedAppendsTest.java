package io.leadscore.server.eventstore;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import io.leadscore.server.storage.MongoConnection;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.utils.TestSerializer;
import org.axonframework.modelling.command.ConcurrencyException;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Appends made at the same moment are stored together, and each still succeeds or fails alone: one that repeats a
 * stored sequence number fails with a concurrency conflict and leaves nothing behind, the others around it are
 * stored exactly once, each at a position of its own.
 */
class CombinedAppendsTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private static final int WRITERS = 16;
    private static final int APPENDS_PER_WRITER = 40;
    private MongoDatabase database;
    private MongoIndexedEventStorageEngine engine;

    @BeforeEach
    void emptyStore() {
        MongoConnection connection = MONGO.connection();
        database = connection.database();
        database.drop();
        engine = MongoIndexedEventStorageEngine.builder().database(database).singleWriter(true)
                                               .durability(connection.durability())
                                               .eventSerializer(TestSerializer.xStreamSerializer())
                                               .snapshotSerializer(TestSerializer.xStreamSerializer()).build();
    }

    private static DomainEventMessage<String> event(String aggregate, long sequence) {
        return new GenericDomainEventMessage<>("Lead", aggregate, sequence, aggregate + "#" + sequence);
    }

    @Test
    void concurrentAppendsFailOnlyWhereTheyConflict() throws Exception {
        // Given every writer's aggregate holds its first event, and a victim aggregate two
        for (int w = 0; w < WRITERS; w++) {
            engine.appendEvents(event("lead-" + w, 0));
        }
        engine.appendEvents(event("victim", 0), event("victim", 1));

        // When writers append three events at a time at once, and one of them, among them, repeats sequence 1
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        CountDownLatch start = new CountDownLatch(1);
        Set<String> conflicts = ConcurrentHashMap.newKeySet();
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String aggregate = "lead-" + w;
            writers.add(pool.submit(() -> {
                start.await();
                for (int a = 0; a < APPENDS_PER_WRITER; a++) {
                    long next = 1 + 3L * a;
                    engine.appendEvents(event(aggregate, next), event(aggregate, next + 1), event(aggregate, next + 2));
                }
                return null;
            }));
        }
        writers.add(pool.submit(() -> {
            start.await();
            for (int attempt = 0; attempt < 20; attempt++) {
                try {
                    engine.appendEvents(event("victim", 2 + attempt), event("victim", 1));
                } catch (ConcurrencyException expected) {
                    conflicts.add("attempt " + attempt);
                }
            }
            return null;
        }));
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // Then the conflicting append failed every time and left nothing, and every other event is stored once
        assertThat(conflicts).hasSize(20);
        assertThat(engine.readEvents("victim").asStream().map(DomainEventMessage::getSequenceNumber).toList())
                .containsExactly(0L, 1L);
        for (int w = 0; w < WRITERS; w++) {
            List<Long> sequences = engine.readEvents("lead-" + w).asStream()
                                         .map(DomainEventMessage::getSequenceNumber).toList();
            assertThat(sequences).hasSize(1 + 3 * APPENDS_PER_WRITER);
            assertThat(sequences).doesNotHaveDuplicates().isSorted();
        }
        long stored = database.getCollection(MongoIndexedEventStorageEngine.EVENTS).countDocuments();
        assertThat(stored).isEqualTo(WRITERS * (1 + 3L * APPENDS_PER_WRITER) + 2);
        // and a tracker reads each of them once, in position order
        List<? extends TrackedEventMessage<?>> tracked = engine.readEvents(null, false).toList();
        Set<String> identifiers = tracked.stream().map(TrackedEventMessage::getIdentifier)
                                         .collect(Collectors.toSet());
        assertThat(identifiers).hasSize((int) stored);
        assertThat(database.getCollection(MongoIndexedEventStorageEngine.EVENTS)
                           .countDocuments(Filters.eq(EventDocuments.AGGREGATE_ID, "victim"))).isEqualTo(2);
    }
}
