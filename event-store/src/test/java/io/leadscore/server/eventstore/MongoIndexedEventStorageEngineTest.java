package io.leadscore.server.eventstore;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import io.leadscore.server.storage.MongoConnection;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.utils.TestSerializer;
import org.axonframework.modelling.command.ConcurrencyException;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.axonframework.eventsourcing.utils.EventStoreTestUtils.createEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What this engine promises beyond Axon's suite: gap handling, atomic batches, position safety, exact reads. */
class MongoIndexedEventStorageEngineTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private MongoConnection connection;
    private MongoDatabase database;
    private MongoCollection<Document> events;

    @BeforeEach
    void emptyStore() {
        connection = MONGO.connection();
        database = connection.database();
        database.drop();
        events = database.getCollection(MongoIndexedEventStorageEngine.EVENTS);
    }

    private MongoIndexedEventStorageEngine engine(UnaryOperator<MongoIndexedEventStorageEngine.Builder> custom) {
        return custom.apply(MongoIndexedEventStorageEngine.builder()
                                    .database(database)
                                    .singleWriter(true)
                                    .durability(connection.durability())
                                    .eventSerializer(TestSerializer.xStreamSerializer())
                                    .snapshotSerializer(TestSerializer.xStreamSerializer()))
                     .build();
    }

    private static List<String> identifiers(List<? extends TrackedEventMessage<?>> messages) {
        return messages.stream().map(TrackedEventMessage::getIdentifier).toList();
    }

    @Test
    void anEventCommittedLateBehindALaterOneIsStillDelivered() {
        // Nothing kept in memory: the tracker sees the store, behind which the late writer is simulated.
        MongoIndexedEventStorageEngine engine = engine(b -> b.recentEvents(0));
        DomainEventMessage<?> first = createEvent(0);
        DomainEventMessage<?> late = createEvent(1);
        DomainEventMessage<?> third = createEvent(2);
        engine.appendEvents(first, late, third);
        // Simulate a writer that reserved position 2 but commits after position 3 is visible.
        Document lateDocument = events.find(Filters.eq("_id", 2L)).first();
        events.deleteOne(Filters.eq("_id", 2L));

        List<? extends TrackedEventMessage<?>> seen = engine.readEvents(null, false).toList();
        assertThat(identifiers(seen)).containsExactly(first.getIdentifier(), third.getIdentifier());
        TrackingToken token = seen.get(1).trackingToken();
        assertThat(((GapAwareTrackingToken) token).getGaps()).containsExactly(2L);

        events.insertOne(lateDocument);
        assertThat(identifiers(engine.readEvents(token, false).toList())).containsExactly(late.getIdentifier());
    }

    @Test
    void aGapIsDroppedOnlyOnceThisReaderHasSeenItOpenForTheGapTimeoutWhateverTheWritersClock() {
        // Given a writer whose clock is an hour behind, and two positions it reserved but never stored
        Instant now = Instant.parse("2026-05-01T12:00:00Z");
        MongoIndexedEventStorageEngine writer = engine(b -> b.clock(Clock.fixed(now.minusSeconds(3600), ZoneOffset.UTC))
                                                            .recentEvents(0));
        writer.appendEvents(createEvent(0), createEvent(1), createEvent(2), createEvent(3), createEvent(4));
        events.deleteMany(Filters.in("_id", List.of(2L, 4L)));
        TrackingToken token = writer.readEvents(null, false).reduce((a, b) -> b).orElseThrow().trackingToken();
        writer.appendEvents(createEvent(5));
        AtomicLong nanos = new AtomicLong();
        MongoIndexedEventStorageEngine reader = engine(b -> b.gapCleaningThreshold(1).gapTimeoutMillis(60_000)
                                                            .clock(Clock.fixed(now, ZoneOffset.UTC))
                                                            .ticker(nanos::get));

        // When the reader reads past them at once, 59 s later and 61 s later by its own clock
        SortedSet<Long> first = gapsAfter(reader, token);
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        SortedSet<Long> before = gapsAfter(reader, token);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        SortedSet<Long> after = gapsAfter(reader, token);

        // Then it waits for them the whole timeout (the writer's clock made them look an hour old) and then drops them
        assertThat(first).containsExactly(2L, 4L);
        assertThat(before).containsExactly(2L, 4L);
        assertThat(after).isEmpty();
    }

    @Test
    void gapsBehindEventsStoredLongBeforeAnyClockSkewAreDroppedAtOnce() {
        // Given two positions never stored, under events stored two days ago
        Instant now = Instant.parse("2026-05-01T12:00:00Z");
        MongoIndexedEventStorageEngine writer = engine(b -> b.clock(Clock.fixed(now.minusSeconds(2 * 86_400),
                                                                                ZoneOffset.UTC)).recentEvents(0));
        writer.appendEvents(createEvent(0), createEvent(1), createEvent(2), createEvent(3), createEvent(4));
        events.deleteMany(Filters.in("_id", List.of(2L, 4L)));
        TrackingToken token = writer.readEvents(null, false).reduce((a, b) -> b).orElseThrow().trackingToken();
        writer.appendEvents(createEvent(5));

        // When a reader catches up past them (a replay of old history)
        MongoIndexedEventStorageEngine reader = engine(b -> b.gapCleaningThreshold(1).gapTimeoutMillis(60_000)
                                                            .clock(Clock.fixed(now, ZoneOffset.UTC))
                                                            .ticker(new AtomicLong()::get));

        // Then it drops them on the first read, without waiting a gap timeout of its own
        assertThat(gapsAfter(reader, token)).isEmpty();
    }

    private static SortedSet<Long> gapsAfter(MongoIndexedEventStorageEngine reader, TrackingToken token) {
        TrackingToken next = reader.readEvents(token, false).reduce((a, b) -> b).orElseThrow().trackingToken();
        return ((GapAwareTrackingToken) next).getGaps();
    }

    @Test
    void aWriterPausedPastTheReservationBoundReservesAgainAndItsEventIsStillTracked() {
        // Given a writer that pauses for 30 s just after reserving its first position (bound: 20 s)
        java.util.Deque<Long> ticks = new java.util.ArrayDeque<>(List.of(
                0L, Duration.ofSeconds(30).toNanos(), Duration.ofSeconds(30).toNanos(), Duration.ofSeconds(30).toNanos()));
        MongoIndexedEventStorageEngine writer = engine(b -> b.gapTimeoutMillis(60_000).maxReservationAgeMillis(20_000)
                .ticker(() -> ticks.size() > 1 ? ticks.poll() : ticks.peek()));

        // When it appends an event
        DomainEventMessage<?> event = createEvent(0);
        writer.appendEvents(event);

        // Then the aged reservation is given up (a gap), the event stored above it, and a tracker gets it
        assertThat(events.find(Filters.eq("eventIdentifier", event.getIdentifier())).first().get("_id"))
                .isEqualTo(2L);
        List<? extends TrackedEventMessage<?>> tracked = writer.readEvents(null, false).toList();
        assertThat(identifiers(tracked)).containsExactly(event.getIdentifier());
    }

    @Test
    void aReservationBoundNotWellBelowTheGapTimeoutIsRefused() {
        assertThatThrownBy(() -> engine(b -> b.gapTimeoutMillis(60_000).maxReservationAgeMillis(30_001)))
                .hasMessageContaining("maxReservationAge");
    }

    @Test
    void theSecondWriterOfASequenceNumberLosesCleanly() {
        MongoIndexedEventStorageEngine one = engine(b -> b.singleWriter(false));
        MongoIndexedEventStorageEngine two = engine(b -> b.singleWriter(false));
        one.appendEvents(createEvent(0));
        DomainEventMessage<?> winner = createEvent(1);
        one.appendEvents(winner);

        assertThatThrownBy(() -> two.appendEvents(createEvent(1))).isInstanceOf(ConcurrencyException.class);
        assertThat(two.readEvents("aggregate", 0).asStream().map(DomainEventMessage::getIdentifier).toList())
                .hasSize(2).endsWith(winner.getIdentifier());
    }

    @Test
    void aFailedBatchLeavesNothingBehind() {
        MongoIndexedEventStorageEngine engine = engine(b -> b);
        engine.appendEvents(createEvent("other", 0));

        assertThatThrownBy(() -> engine.appendEvents(createEvent("fresh", 0), createEvent("other", 0)))
                .isInstanceOf(RuntimeException.class);

        assertThat(engine.readEvents("fresh", 0).asStream().count()).isZero();
        assertThat(events.countDocuments()).isEqualTo(1);
    }

    @Test
    void aRestartedWriterNeverReusesAPosition() {
        MongoIndexedEventStorageEngine before = engine(b -> b);
        before.appendEvents(createEvent(0), createEvent(1));
        // Pretend positions were handed out beyond what was written, then the process died.
        MongoIndexedEventStorageEngine after = engine(b -> b);
        after.appendEvents(createEvent(2));

        List<Long> positions = events.find().map(d -> d.getLong("_id")).into(new java.util.ArrayList<>());
        assertThat(positions).doesNotHaveDuplicates().hasSize(3);
        assertThat(positions.get(2)).isGreaterThan(1000L);
        assertThat(after.readEvents(null, false).count()).isEqualTo(3);
    }

    @Test
    void lastSequenceNumberIsFoundByExactKeyProbes() {
        MongoIndexedEventStorageEngine engine = engine(b -> b);
        for (int i = 0; i < 37; i++) {
            engine.appendEvents(createEvent(i));
        }

        assertThat(engine.lastSequenceNumberFor("aggregate")).isEqualTo(Optional.of(36L));
        assertThat(engine.lastSequenceNumberFor("nobody")).isEmpty();
    }

    @Test
    void aggregateReadsTouchOnlyTheAggregatesOwnKeys() {
        MongoIndexedEventStorageEngine engine = engine(b -> b.batchSize(10));
        for (int i = 0; i < 25; i++) {
            engine.appendEvents(createEvent("a", i), createEvent("b", i));
        }
        events.updateMany(Filters.eq("aggregateIdentifier", "b"), Updates.set("payload", "corrupt"));

        assertThat(engine.readEvents("a", 0).asStream().map(DomainEventMessage::getSequenceNumber).toList())
                .hasSize(25).isSorted();
    }

    @Test
    void theFirstEventAfterAPositionTellsWhenItWasStored() {
        Instant storedAt = Instant.parse("2026-12-04T10:00:00Z");
        MongoIndexedEventStorageEngine engine = engine(b -> b.clock(Clock.fixed(storedAt, ZoneOffset.UTC)));
        engine.appendEvents(createEvent(0), createEvent(1), createEvent(2));
        // Position 2 lost (an append that failed): the first event after position 1 is at 3.
        events.deleteOne(Filters.eq("_id", 2L));

        assertThat(engine.storedAfter(1)).contains(storedAt);
        assertThat(engine.storedAfter(0)).contains(storedAt);
        assertThat(engine.storedAfter(3)).isEmpty();
    }
}
