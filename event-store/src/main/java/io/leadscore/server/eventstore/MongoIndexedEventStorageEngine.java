package io.leadscore.server.eventstore;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.leadscore.server.eventstore.EventDocuments.ID;
import static io.leadscore.server.eventstore.EventDocuments.SEQUENCE;
import static io.leadscore.server.eventstore.EventDocuments.STORED_AT;
import static io.leadscore.server.eventstore.EventDocuments.STREAM_KEY;
import static io.leadscore.server.eventstore.EventDocuments.TIMESTAMP_NANOS;
import static org.axonframework.common.BuilderUtils.assertNonNull;
import static org.axonframework.common.BuilderUtils.assertStrictPositive;

/**
 * An Axon event storage engine on the plain MongoDB driver, built so that every hot read is an exact-key lookup.
 *
 * <ul>
 *   <li><b>Global positions.</b> Each append batch reserves a block of positions from a counter document with one
 *   {@code $inc}; the position is the event's {@code _id}. Tracking reads fetch {@code _id $in [gaps, next N]},
 *   and tokens are Axon's {@link GapAwareTrackingToken}: a position reserved by a writer that has not committed yet
 *   is a gap, re-read until it appears or is older than the gap timeout. So no committed event is skipped and
 *   tokens stay small.</li>
 *   <li><b>Aggregate reads.</b> A lead's events are fetched by {@code streamKey $in [id#s .. id#s+N-1]}.</li>
 *   <li><b>Concurrency.</b> The unique {@code streamKey} index rejects a second writer of the same sequence number
 *   (duplicate key, surfaced by Axon as a {@code ConcurrencyException}).</li>
 *   <li><b>Durability.</b> After each append the {@link DurabilityBarrier} makes the write crash-safe before Axon
 *   acknowledges the command.</li>
 *   <li><b>Combined writes.</b> Appends that wait at the same moment are stored by one insert and made durable by
 *   one wait ({@link AppendCombiner}); each still succeeds or fails alone.</li>
 * </ul>
 */
public class MongoIndexedEventStorageEngine extends BatchingEventStorageEngine {

    /** The collection of events. */
    public static final String EVENTS = "domain_events";
    /**
     * The resource of the root unit of work under which the highest position an append in it stored is kept
     * (a {@code Long}), for the command's reply.
     */
    public static final String APPENDED_THROUGH =
            MongoIndexedEventStorageEngine.class.getName() + ".appendedThrough";
    static final String SNAPSHOTS = "snapshot_events";
    static final String COUNTERS = "event_counters";
    private static final long LOWEST_POSITION = 1;
    private static final int FIRST_AGGREGATE_WINDOW = 16;
    private static final int PROBE_WINDOW = 1000;
    private static final int STORED_AFTER_PROBE = 64;

    private final MongoCollection<Document> events;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> counters;
    private final DurabilityBarrier durability;
    private final Clock clock;
    /** This process's monotonic clock, in nanoseconds: times gaps and reservations, never compared to another's. */
    private final java.util.function.LongSupplier ticker;
    private final long gapTimeoutNanos;
    /** When this reader first saw each gap still open, by {@link #ticker}. */
    private final Map<Long, Long> gapsSeenAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final int gapCleaningThreshold;
    private final int maxGapOffset;
    private final PositionAllocator positions;
    private final AppendCombiner appends;
    private final RecentEvents recent;
    /** Highest position holding an event; known only when this process is the single writer, else null. */
    private final AtomicLong highestStored;
    private final Timer appendTimer;
    private final Timer aggregateReadTimer;
    private final Timer trackingReadTimer;
    private final Counter trackedFromMemory;
    private final Counter trackedFromStore;

    protected MongoIndexedEventStorageEngine(Builder builder) {
        super(builder);
        MongoDatabase database = builder.database;
        this.events = database.getCollection(EVENTS).withWriteConcern(builder.writeConcern);
        this.snapshots = database.getCollection(SNAPSHOTS).withWriteConcern(builder.writeConcern);
        this.counters = database.getCollection(COUNTERS).withWriteConcern(builder.writeConcern);
        this.durability = builder.durability;
        this.clock = builder.clock;
        this.ticker = builder.ticker;
        this.gapTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(builder.gapTimeoutMillis);
        long maxReservationAge = builder.maxReservationAgeMillis > 0 ? builder.maxReservationAgeMillis
                                                                     : builder.gapTimeoutMillis / 3;
        if (maxReservationAge > builder.gapTimeoutMillis / 2) {
            throw new org.axonframework.common.AxonConfigurationException(
                    "maxReservationAge must be at most half the gap timeout, or a late writer's events are lost");
        }
        this.gapCleaningThreshold = builder.gapCleaningThreshold;
        this.maxGapOffset = builder.maxGapOffset;
        MeterRegistry registry = builder.meterRegistry;
        this.appendTimer = Timer.builder("leadscore.eventstore.append").description("Appending a batch of events")
                                .publishPercentileHistogram().register(registry);
        this.aggregateReadTimer = Timer.builder("leadscore.eventstore.read").tag("kind", "aggregate")
                                       .description("Reading events from the store").publishPercentileHistogram()
                                       .register(registry);
        this.trackingReadTimer = Timer.builder("leadscore.eventstore.read").tag("kind", "tracking")
                                      .description("Reading events from the store").publishPercentileHistogram()
                                      .register(registry);
        this.trackedFromMemory = trackedEvents(registry, "memory");
        this.trackedFromStore = trackedEvents(registry, "store");
        this.positions = builder.singleWriter
                ? PositionAllocator.singleWriter(counters, 1000)
                : PositionAllocator.sharedCounter(counters);
        ensureIndexes();
        this.highestStored = builder.singleWriter ? new AtomicLong(probeHighestStored()) : null;
        this.recent = new RecentEvents(builder.recentEvents);
        if (builder.sessions != null && builder.singleWriter) {
            throw new org.axonframework.common.AxonConfigurationException(
                    "a single writer allocates positions in memory; transactions are for shared stores");
        }
        if (builder.sessions != null) {
            PositionAllocator.ensureCounter(counters);
        }
        this.appends = new AppendCombiner(events, positions, durability, highestStored, recent, ticker,
                                          TimeUnit.MILLISECONDS.toNanos(maxReservationAge), builder.sessions,
                                          builder.writeConcern);
    }

    private static Counter trackedEvents(MeterRegistry registry, String source) {
        return Counter.builder("leadscore.eventstore.tracked.events").tag("source", source)
                      .description("Events read by trackers, from this node's memory of its own appends or from "
                                   + "the store").register(registry);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Creates the unique indexes every lookup relies on; idempotent. */
    public final void ensureIndexes() {
        events.createIndex(Indexes.ascending(STREAM_KEY), new IndexOptions().unique(true).name("uniq_stream_key"));
        events.createIndex(Indexes.ascending(EventDocuments.EVENT_ID),
                           new IndexOptions().unique(true).name("uniq_event_id"));
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> messages, Serializer serializer) {
        long started = System.nanoTime();
        try {
            storeEvents(messages, serializer);
        } finally {
            appendTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private void storeEvents(List<? extends EventMessage<?>> messages, Serializer serializer) {
        if (messages.isEmpty()) {
            return;
        }
        long storedAt = clock.millis();
        List<Document> documents = new ArrayList<>(messages.size());
        for (EventMessage<?> message : messages) {
            // The position (_id) is given when the combiner stores the batch.
            documents.add(EventDocuments.eventDocument(0, message, serializer, storedAt));
        }
        AppendCombiner.Append append = appends.append(documents);
        if (append.failure() != null) {
            handlePersistenceException(append.failure(), messages.get(append.failedDocument()));
        }
        long through = position(documents.get(documents.size() - 1));
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.root().resources()
                                                            .merge(APPENDED_THROUGH, through,
                                                                   (a, b) -> Math.max((Long) a, (Long) b)));
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        Document document = EventDocuments.snapshotDocument(snapshot, serializer);
        // Replace only an older snapshot: if a newer one is stored the filter misses, the upsert collides on _id,
        // and the newer snapshot is kept.
        Bson olderOrSame = Filters.and(Filters.eq(ID, snapshot.getAggregateIdentifier()),
                                       Filters.lte(SEQUENCE, snapshot.getSequenceNumber()));
        try {
            snapshots.replaceOne(olderOrSame, document, new ReplaceOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** Removes every snapshot; aggregates are then sourced from their events until snapshotted again. */
    public void deleteSnapshots() {
        snapshots.deleteMany(new Document());
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        Document snapshot = snapshots.find(Filters.eq(ID, aggregateIdentifier)).first();
        return snapshot == null ? Stream.empty() : Stream.of(EventDocuments.toEventData(snapshot));
    }

    /**
     * Reads a lead's events by exact keys in growing windows (16, 32, 64, ... up to the batch size): most leads have
     * few events since their last snapshot, and every key in an {@code $in} costs an index probe on the embedded
     * server, so a new lead costs 16 probes instead of a full batch.
     */
    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier,
                                                                  long firstSequenceNumber,
                                                                  int batchSize) {
        long started = System.nanoTime();
        try {
            return readAggregate(aggregateIdentifier, firstSequenceNumber, batchSize);
        } finally {
            aggregateReadTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private List<? extends DomainEventData<?>> readAggregate(String aggregateIdentifier, long firstSequenceNumber,
                                                            int batchSize) {
        List<DomainEventData<?>> result = new ArrayList<>();
        long next = firstSequenceNumber;
        int window = Math.min(FIRST_AGGREGATE_WINDOW, batchSize);
        while (result.size() < batchSize) {
            int size = Math.min(window, batchSize - result.size());
            List<String> keys = new ArrayList<>(size);
            for (long sequence = next; sequence < next + size; sequence++) {
                keys.add(EventDocuments.streamKey(aggregateIdentifier, sequence));
            }
            List<DomainEventData<?>> found = new ArrayList<>(size);
            for (Document document : events.find(Filters.in(STREAM_KEY, keys))) {
                found.add(EventDocuments.toEventData(document));
            }
            found.sort(Comparator.comparingLong(DomainEventData::getSequenceNumber));
            result.addAll(found);
            if (found.size() < size) {
                break;
            }
            next += size;
            window *= 2;
        }
        return result;
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        long started = System.nanoTime();
        try {
            return readTracked(lastToken, batchSize);
        } finally {
            trackingReadTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private List<? extends TrackedEventData<?>> readTracked(TrackingToken lastToken, int batchSize) {
        GapAwareTrackingToken previous = cleanedGaps((GapAwareTrackingToken) lastToken);
        long index = previous == null ? LOWEST_POSITION - 1 : previous.getIndex();
        List<Long> positions = new ArrayList<>(batchSize + (previous == null ? 0 : previous.getGaps().size()));
        if (previous != null) {
            positions.addAll(previous.getGaps());
        }
        for (long position = index + 1; position <= index + batchSize; position++) {
            positions.add(position);
        }
        List<Document> found = findTracked(positions);
        if (found.stream().noneMatch(d -> position(d) > index) && storedBeyond(index + batchSize)) {
            // More than a batch of reserved positions were never written (failed appends, or the rest of an
            // allocation block before a restart). Jump to the next event.
            Document next = nextStoredAfter(index + batchSize);
            if (next != null) {
                found.add(next);
            }
        }
        found.sort(Comparator.comparingLong(MongoIndexedEventStorageEngine::position));

        List<TrackedEventData<?>> result = new ArrayList<>(found.size());
        GapAwareTrackingToken token = previous;
        for (Document document : found) {
            long position = position(document);
            if (token == null) {
                token = GapAwareTrackingToken.newInstance(position, gapsBelow(position, maxGapOffset));
            } else if (token.covers(GapAwareTrackingToken.newInstance(position, List.of()))) {
                continue;
            } else {
                token = token.advanceTo(position, maxGapOffset);
            }
            result.add(new TrackedDomainEventData<>(token, EventDocuments.toEventData(document)));
        }
        return result;
    }

    /** Positions below the first event seen are gaps too: a writer may still commit them (within the offset). */
    private static SortedSet<Long> gapsBelow(long position, int maxGapOffset) {
        SortedSet<Long> gaps = new TreeSet<>();
        for (long gap = Math.max(LOWEST_POSITION, position - maxGapOffset); gap < position; gap++) {
            gaps.add(gap);
        }
        return gaps;
    }

    /**
     * The documents at {@code positions}: those this node stored recently from memory, the rest from the store. A
     * single writer knows nothing lies above the highest position it stored, so when the projection keeps up with
     * this node's own appends it reads nothing back from the store.
     */
    private List<Document> findTracked(List<Long> positions) {
        long highest = highestStored == null ? Long.MAX_VALUE : highestStored.get();
        List<Document> found = new ArrayList<>();
        List<Long> elsewhere = new ArrayList<>();
        for (Long position : positions) {
            if (position > highest) {
                // Stored after `highest` was read: taking it would make the positions before it, stored
                // meanwhile too, gaps, read after it. The next read takes them all in order.
                continue;
            }
            Document kept = recent.at(position);
            if (kept != null) {
                found.add(kept);
            } else {
                elsewhere.add(position);
            }
        }
        trackedFromMemory.increment(found.size());
        if (!elsewhere.isEmpty()) {
            int before = found.size();
            events.find(Filters.in(ID, elsewhere)).into(found);
            trackedFromStore.increment(found.size() - before);
        }
        return found;
    }

    private List<Document> findByPositions(List<Long> positions) {
        List<Document> found = new ArrayList<>();
        events.find(Filters.in(ID, positions)).into(found);
        return found;
    }

    /**
     * The first event stored above {@code position}, or null. On MongoDB one range query, an index walk. The
     * embedded server answers range queries with a scan of the whole collection under its lock (half a minute
     * at a million events, stalling every append), so there windows of exact keys are probed upwards to the
     * highest stored position, which a single writer knows.
     */
    private Document nextStoredAfter(long position) {
        if (highestStored == null) {
            return events.find(Filters.gt(ID, position)).sort(Sorts.ascending(ID)).first();
        }
        long highest = highestStored.get();
        for (long bottom = position + 1; bottom <= highest; bottom += PROBE_WINDOW) {
            Optional<Document> first = findByPositions(range(bottom, Math.min(highest, bottom + PROBE_WINDOW - 1)))
                    .stream().min(Comparator.comparingLong(MongoIndexedEventStorageEngine::position));
            if (first.isPresent()) {
                return first.get();
            }
        }
        return null;
    }

    /** Whether an event may exist above {@code position}; exact for a single writer, conservative otherwise. */
    private boolean storedBeyond(long position) {
        return highestStored != null ? highestStored.get() > position : positions.highestReserved() > position;
    }

    /**
     * Finds the highest stored position without a sort (a full scan on the embedded server): it lies at most a few
     * allocation blocks below the stored high-water mark, so windows of exact keys are probed downwards from it.
     */
    private long probeHighestStored() {
        for (long top = positions.highestReserved(); top >= LOWEST_POSITION; top -= PROBE_WINDOW) {
            long bottom = Math.max(LOWEST_POSITION, top - PROBE_WINDOW + 1);
            OptionalLong found = findByPositions(range(bottom, top)).stream()
                                                                 .mapToLong(MongoIndexedEventStorageEngine::position)
                                                                 .max();
            if (found.isPresent()) {
                return found.getAsLong();
            }
        }
        return LOWEST_POSITION - 1;
    }

    /** The lowest stored position, probed upwards in windows of exact keys; empty for an empty store. */
    private OptionalLong probeLowestStored() {
        long highest = highestStored.get();
        for (long bottom = LOWEST_POSITION; bottom <= highest; bottom += PROBE_WINDOW) {
            OptionalLong found = findByPositions(range(bottom, Math.min(highest, bottom + PROBE_WINDOW - 1)))
                    .stream().mapToLong(MongoIndexedEventStorageEngine::position).min();
            if (found.isPresent()) {
                return found;
            }
        }
        return OptionalLong.empty();
    }

    private static List<Long> range(long from, long to) {
        List<Long> positions = new ArrayList<>((int) (to - from + 1));
        for (long position = from; position <= to; position++) {
            positions.add(position);
        }
        return positions;
    }

    /**
     * Drops gaps that will never fill: a gap is dead once this reader has seen it open for the gap timeout, timed by
     * its own monotonic clock alone. A writer inserts within {@link Builder#maxReservationAge} of reserving its
     * positions or reserves again, and a reader can only see a position as a gap after it was reserved (a higher
     * one is visible), so no event is declared lost while its writer may still store it, whatever the machines'
     * clocks say. (Timing the gap by the successor's stored time, the writer's clock, judged by the reader's, lost
     * the event of a writer paused between reserving and inserting, and any event under a skewed clock.) A reader
     * that restarts sees its gaps anew: it only waits longer.
     */
    private GapAwareTrackingToken cleanedGaps(GapAwareTrackingToken token) {
        if (token == null || token.getGaps().size() <= gapCleaningThreshold) {
            return token;
        }
        long now = ticker.getAsLong();
        SortedSet<Long> gaps = token.getGaps();
        Set<Long> longDead = longDead(gaps, token.getIndex());
        SortedSet<Long> kept = new TreeSet<>();
        for (Long gap : gaps) {
            long seenAt = gapsSeenAt.computeIfAbsent(gap, ignored -> now);
            if (now - seenAt < gapTimeoutNanos && !longDead.contains(gap)) {
                kept.add(gap);
            }
        }
        // Other trackers keep gaps of their own here; only entries long past any timeout go.
        gapsSeenAt.entrySet().removeIf(seen -> now - seen.getValue() > 2 * gapTimeoutNanos
                                               && !gaps.contains(seen.getKey()));
        return GapAwareTrackingToken.newInstance(token.getIndex(), kept);
    }

    /** How far apart two machines' clocks may be for {@link #longDead} still to be right: far beyond any NTP drift. */
    private static final long CLOCK_SKEW_MARGIN_MILLIS = TimeUnit.HOURS.toMillis(1);

    /**
     * Gaps whose run's successor was stored longer ago than the gap timeout plus an hour, by its writer's clock: so
     * old that no writer can still fill them (writers insert within the reservation bound or reserve again) even
     * if the clocks were an hour apart. Catching up on old history (a replay) drops them at once instead of
     * carrying them for a gap timeout.
     */
    private Set<Long> longDead(SortedSet<Long> gaps, long index) {
        List<Long> successors = new ArrayList<>();
        for (Long gap : gaps) {
            if (!gaps.contains(gap + 1) && gap + 1 <= index) {
                successors.add(gap + 1);
            }
        }
        long deadBefore = clock.millis() - TimeUnit.NANOSECONDS.toMillis(gapTimeoutNanos) - CLOCK_SKEW_MARGIN_MILLIS;
        Set<Long> deadSuccessors = new java.util.HashSet<>();
        for (Document document : findByPositions(successors)) {
            if (document.getLong(STORED_AT) < deadBefore) {
                deadSuccessors.add(position(document));
            }
        }
        Set<Long> dead = new java.util.HashSet<>();
        List<Long> run = new ArrayList<>();
        for (Long gap : gaps) {
            if (!gaps.contains(gap - 1)) {
                run.clear();
            }
            run.add(gap);
            if (!gaps.contains(gap + 1) && deadSuccessors.contains(gap + 1)) {
                dead.addAll(run);
            }
        }
        return dead;
    }

    private static long position(Document document) {
        return document.get(ID, Number.class).longValue();
    }

    /**
     * Every event document, in the collection's own order, through one plain cursor: the path for replays that
     * read all history once (backtests, funnel reports) on MongoDB. Leads are independent of each other, so
     * callers only need each aggregate's events in sequence order, and restore it themselves (they almost always
     * arrive so: a lead's events are inserted in order). Decode with {@link #toEventMessage}, ideally on another
     * thread, since the database serves the next batch only when asked. Close the cursor.
     *
     * <p>Not for the embedded server: it answers a query by collecting every match under the collection's lock,
     * stalling appends; read its store directly instead ({@code MongoConnection.scanEmbedded}).
     */
    public MongoCursor<Document> readHistory() {
        return events.find().batchSize(1000).cursor();
    }

    /**
     * Decodes one event document (from {@link #readHistory} or a direct scan of the store) through the upcaster
     * chain; the payload is deserialized when first read. Null when an upcaster drops the event.
     */
    public TrackedEventMessage<?> toEventMessage(Document document) {
        TrackedEventData<?> data = new TrackedDomainEventData<>(new GlobalSequenceTrackingToken(position(document)),
                                                               EventDocuments.toEventData(document));
        return EventUtils.upcastAndDeserializeTrackedEvents(Stream.of(data), getEventSerializer(), upcasterChain)
                         .findFirst().orElse(null);
    }

    /** The aggregate id of an event document (the event id for non-domain events). */
    public static String aggregateIdOf(Document document) {
        return document.getString(EventDocuments.AGGREGATE_ID);
    }

    /**
     * When the first event stored after {@code position} was stored: how long the oldest event a tracker has not
     * handled has waited. Looks at the next positions by exact key (a range read scans the whole collection on the
     * embedded server), {@value #STORED_AFTER_PROBE} first and twice as many each time after (at most 8,192), up to the head, so a
     * long run of lost positions (a failed combined append) is crossed in a few reads; empty when no event follows.
     */
    public Optional<Instant> storedAfter(long position) {
        long head = headPosition();
        long from = position + 1;
        for (long window = STORED_AFTER_PROBE; from <= head; from += window, window = Math.min(window * 2, 8192)) {
            List<Long> next = new ArrayList<>();
            for (long p = from; p < from + window && p <= head; p++) {
                next.add(p);
            }
            Document first = null;
            for (Document document : events.find(Filters.in(ID, next)).projection(new Document(STORED_AT, 1))) {
                if (first == null || document.getLong(ID) < first.getLong(ID)) {
                    first = document;
                }
            }
            if (first != null) {
                return Optional.of(Instant.ofEpochMilli(first.getLong(STORED_AT)));
            }
        }
        return Optional.empty();
    }

    /** The highest position stored so far, or 0 for an empty store. */
    public long headPosition() {
        TrackingToken head = createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    /**
     * Reads every event document once with a plain cursor in natural order, as undecoded BSON: the fastest read
     * the database offers, the yardstick for the replays built on {@link #readEvents}. Answers how many it read.
     */
    public long scanRaw() {
        long documents = 0;
        try (var cursor = events.withDocumentClass(RawBsonDocument.class).find().batchSize(1000).cursor()) {
            while (cursor.hasNext()) {
                cursor.next();
                documents++;
            }
        }
        return documents;
    }

    @Override
    public TrackingToken createTailToken() {
        if (highestStored != null) {
            OptionalLong lowest = probeLowestStored();
            return lowest.isEmpty() ? null : GapAwareTrackingToken.newInstance(lowest.getAsLong() - 1, List.of());
        }
        Document first = events.find().sort(Sorts.ascending(ID)).limit(1).first();
        return first == null ? null : GapAwareTrackingToken.newInstance(position(first) - 1, List.of());
    }

    @Override
    public TrackingToken createHeadToken() {
        if (highestStored != null) {
            long highest = highestStored.get();
            return highest < LOWEST_POSITION ? null : GapAwareTrackingToken.newInstance(highest, List.of());
        }
        Document last = events.find().sort(Sorts.descending(ID)).limit(1).first();
        return last == null ? null : GapAwareTrackingToken.newInstance(position(last), List.of());
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        Document first = events.find(Filters.gte(TIMESTAMP_NANOS, EventDocuments.toEpochNanos(dateTime)))
                               .sort(Sorts.ascending(ID)).limit(1).first();
        if (first == null) {
            return createHeadToken();
        }
        return GapAwareTrackingToken.newInstance(position(first) - 1, List.of());
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        // Exact-key probes in growing steps: no index on the embedded server serves "max sequence of one lead".
        long low = -1;
        long step = 1;
        while (exists(aggregateIdentifier, low + step)) {
            low += step;
            step *= 2;
        }
        long high = low + step;
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (exists(aggregateIdentifier, middle)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low < 0 ? Optional.empty() : Optional.of(low);
    }

    private boolean exists(String aggregateIdentifier, long sequence) {
        return events.find(Filters.eq(STREAM_KEY, EventDocuments.streamKey(aggregateIdentifier, sequence)))
                     .projection(new Document(ID, 1)).first() != null;
    }

    /** Builds the engine; defaults suit a single Leadscore node. */
    public static class Builder extends BatchingEventStorageEngine.Builder {

        private MongoDatabase database;
        private DurabilityBarrier durability = DurabilityBarrier.NONE;
        private WriteConcern writeConcern = WriteConcern.MAJORITY.withJournal(true)
                                                                 .withWTimeout(10, TimeUnit.SECONDS);
        private Clock clock = Clock.systemUTC();
        private long gapTimeoutMillis = 60_000;
        private long maxReservationAgeMillis;
        private java.util.function.LongSupplier ticker = System::nanoTime;
        private java.util.function.Supplier<com.mongodb.client.ClientSession> sessions;
        private int gapCleaningThreshold = 250;
        private int maxGapOffset = 10_000;
        private boolean singleWriter;
        private int recentEvents = 16_384;
        private MeterRegistry meterRegistry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

        Builder() {
            persistenceExceptionResolver(MongoIndexedEventStorageEngine::isDuplicateKey);
        }

        public Builder database(MongoDatabase database) {
            this.database = database;
            return this;
        }

        public Builder durability(DurabilityBarrier durability) {
            assertNonNull(durability, "durability");
            this.durability = durability;
            return this;
        }

        /** Write concern of appends; the embedded server ignores it and relies on the durability barrier. */
        public Builder writeConcern(WriteConcern writeConcern) {
            this.writeConcern = writeConcern;
            return this;
        }

        /** Where append and read latencies go; a private registry when not set. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            assertNonNull(meterRegistry, "meterRegistry may not be null");
            this.meterRegistry = meterRegistry;
            return this;
        }

        /**
         * Declares this process the store's only writer (the embedded server): positions are then allocated in
         * memory in blocks instead of with one counter round trip per append. Never set it for a shared MongoDB.
         */
        public Builder singleWriter(boolean singleWriter) {
            this.singleWriter = singleWriter;
            return this;
        }

        /**
         * How many of the events this node appended last are kept in memory for its trackers (0: none, every
         * tracking read goes to the store). At about a kilobyte each, the default costs some 16 MB.
         */
        public Builder recentEvents(int recentEvents) {
            if (recentEvents < 0) {
                throw new org.axonframework.common.AxonConfigurationException("recentEvents may not be negative");
            }
            this.recentEvents = recentEvents;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Appends each batch in one transaction of a session from {@code sessions}: on a replica set, so that
         * positions commit in order and trackers see no live gaps. Null (the default) where the store has no
         * transactions (the embedded server, a standalone mongod): gap-aware tracking covers those.
         */
        public Builder transactions(java.util.function.Supplier<com.mongodb.client.ClientSession> sessions) {
            this.sessions = sessions;
            return this;
        }

        /**
         * The monotonic clock (nanoseconds) that times gaps and reservations; {@code System::nanoTime} unless a test
         * drives it.
         */
        public Builder ticker(java.util.function.LongSupplier ticker) {
            assertNonNull(ticker, "ticker");
            this.ticker = ticker;
            return this;
        }

        /**
         * How old a reservation of positions may be when its insert starts; an older one (a writer paused by GC or
         * the network) is dropped and positions reserved again. A third of the gap timeout unless set; it must stay
         * well below it, so that a reader never gives up on a position its writer may still insert.
         */
        public Builder maxReservationAgeMillis(long maxReservationAgeMillis) {
            assertStrictPositive(maxReservationAgeMillis, "maxReservationAgeMillis");
            this.maxReservationAgeMillis = maxReservationAgeMillis;
            return this;
        }

        public Builder gapTimeoutMillis(long gapTimeoutMillis) {
            assertStrictPositive(gapTimeoutMillis, "gapTimeoutMillis");
            this.gapTimeoutMillis = gapTimeoutMillis;
            return this;
        }

        public Builder gapCleaningThreshold(int gapCleaningThreshold) {
            assertStrictPositive(gapCleaningThreshold, "gapCleaningThreshold");
            this.gapCleaningThreshold = gapCleaningThreshold;
            return this;
        }

        public Builder maxGapOffset(int maxGapOffset) {
            assertStrictPositive(maxGapOffset, "maxGapOffset");
            this.maxGapOffset = maxGapOffset;
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(org.axonframework.serialization.upcasting.event.EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder persistenceExceptionResolver(PersistenceExceptionResolver persistenceExceptionResolver) {
            super.persistenceExceptionResolver(persistenceExceptionResolver);
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder snapshotFilter(org.axonframework.eventsourcing.snapshotting.SnapshotFilter snapshotFilter) {
            super.snapshotFilter(snapshotFilter);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        @Override
        protected void validate() {
            super.validate();
            assertNonNull(database, "database");
        }

        public MongoIndexedEventStorageEngine build() {
            return new MongoIndexedEventStorageEngine(this);
        }
    }

    /** Duplicate key (code 11000) is the one persistence error that means "someone else wrote this first". */
    static boolean isDuplicateKey(Exception exception) {
        if (exception instanceof MongoBulkWriteException bulk) {
            return bulk.getWriteErrors().stream()
                       .anyMatch(error -> ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY);
        }
        if (exception instanceof MongoWriteException write) {
            return write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        return false;
    }
}
