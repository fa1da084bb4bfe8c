package io.leadscore.server.eventstore;

import com.mongodb.client.MongoDatabase;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import io.leadscore.server.storage.MongoConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.utils.TestSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's trackers read the events it appended itself from memory, in position order, and everything else (other
 * nodes' events, what a restarted node appended before) from the store, which stays the source of truth.
 */
class NoReadBackTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private MongoDatabase database;
    private MongoConnection connection;

    @BeforeEach
    void emptyStore() {
        connection = MONGO.connection();
        database = connection.database();
        database.drop();
    }

    private MongoIndexedEventStorageEngine node(MeterRegistry registry, boolean singleWriter) {
        return MongoIndexedEventStorageEngine.builder().database(database).singleWriter(singleWriter)
                                             .durability(connection.durability()).meterRegistry(registry)
                                             .eventSerializer(TestSerializer.xStreamSerializer())
                                             .snapshotSerializer(TestSerializer.xStreamSerializer()).build();
    }

    private static GenericDomainEventMessage<String> event(String lead, long sequence) {
        return new GenericDomainEventMessage<>("Lead", lead, sequence, lead + "#" + sequence);
    }

    private static List<TrackedEventMessage<?>> track(MongoIndexedEventStorageEngine engine, TrackingToken after,
                                                      int count) {
        return engine.readEvents(after, false).limit(count).<TrackedEventMessage<?>>map(e -> e).toList();
    }

    private static List<Object> payloads(List<TrackedEventMessage<?>> events) {
        return events.stream().<Object>map(TrackedEventMessage::getPayload).toList();
    }

    private static double tracked(MeterRegistry registry, String source) {
        return registry.get("leadscore.eventstore.tracked.events").tag("source", source).counter().count();
    }

    @Test
    void eventsAppendedOnThisNodeReachItsTrackersWithoutAReadFromTheStore() {
        // Given a single-writer node that appended three events
        MeterRegistry registry = new SimpleMeterRegistry();
        MongoIndexedEventStorageEngine engine = node(registry, true);
        engine.appendEvents(event("lead-1", 0), event("lead-1", 1), event("lead-2", 0));

        // When its tracker reads from the start
        List<TrackedEventMessage<?>> read = track(engine, null, 3);

        // Then it gets them in position order, all from memory
        assertThat(payloads(read))
                        .containsExactly("lead-1#0", "lead-1#1", "lead-2#0");
        assertThat(tracked(registry, "memory")).isEqualTo(3);
        assertThat(tracked(registry, "store")).isZero();
    }

    @Test
    void aNodeThatRestartsBetweenAppendAndProjectionCatchesUpFromTheStore() {
        // Given a node that appended three events, and whose tracker had applied only the first when it died
        MongoIndexedEventStorageEngine before = node(new SimpleMeterRegistry(), true);
        before.appendEvents(event("lead-1", 0), event("lead-1", 1), event("lead-2", 0));
        TrackingToken applied = track(before, null, 1).get(0).trackingToken();

        // When the node comes back (its memory empty) and its tracker resumes from the stored token
        MeterRegistry registry = new SimpleMeterRegistry();
        MongoIndexedEventStorageEngine after = node(registry, true);
        List<TrackedEventMessage<?>> read = track(after, applied, 2);

        // Then the rest arrives from the store, once each and in order
        assertThat(payloads(read)).containsExactly("lead-1#1", "lead-2#0");
        assertThat(tracked(registry, "store")).isEqualTo(2);
        assertThat(tracked(registry, "memory")).isZero();
    }

    @Test
    void anotherNodesEventsComeFromTheStoreInterleavedInPositionOrder() {
        // Given two nodes on one store, appending in turn
        MeterRegistry registry = new SimpleMeterRegistry();
        MongoIndexedEventStorageEngine mine = node(registry, false);
        MongoIndexedEventStorageEngine other = node(new SimpleMeterRegistry(), false);
        mine.appendEvents(event("lead-1", 0));
        other.appendEvents(event("lead-2", 0));
        mine.appendEvents(event("lead-1", 1));
        other.appendEvents(event("lead-2", 1));

        // When the first node's tracker reads from the start
        List<TrackedEventMessage<?>> read = track(mine, null, 4);

        // Then it gets all four in position order: its own from memory, the other node's from the store
        assertThat(payloads(read))
                        .containsExactly("lead-1#0", "lead-2#0", "lead-1#1", "lead-2#1");
        assertThat(tracked(registry, "memory")).isEqualTo(2);
        assertThat(tracked(registry, "store")).isEqualTo(2);
    }
}
