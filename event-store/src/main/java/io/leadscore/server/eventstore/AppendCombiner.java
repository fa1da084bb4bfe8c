package io.leadscore.server.eventstore;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends that wait at the same moment go to the store together: one {@code insertMany} (one message, one store
 * write) and one wait for durability cover them all, however many commands they come from. Whoever holds the turn
 * stores everything queued, its own append and the others'; the others find theirs done when their turn comes. So
 * under load batches grow by themselves, and a lone append costs what it cost before.
 *
 * <p>Each append still succeeds or fails alone. The insert is ordered: when a document conflicts (a second writer of
 * the same sequence number, a repeated event id), the appends before it are stored, the conflicting one's documents
 * already written are deleted again and it fails, and the appends after it are stored in the next insert. Positions
 * are handed out per insert, in queue order, so within a node they are stored in the order they were given; the
 * positions of a failed append become gaps, which trackers time out.
 */
final class AppendCombiner {

    /** The most documents one insert carries (well inside MongoDB's 48 MB message limit for event documents). */
    private static final int MAX_DOCUMENTS = 4_000;

    /** One caller's documents and, once its turn has come and gone, what became of them. */
    static final class Append {
        private final List<Document> documents;
        private volatile boolean done;
        private RuntimeException failure;
        private int failedDocument;

        Append(List<Document> documents) {
            this.documents = documents;
        }

        /** Why the append failed, or null when it is stored and durable. */
        RuntimeException failure() {
            return failure;
        }

        /** The index, among this append's documents, of the one that failed. */
        int failedDocument() {
            return failedDocument;
        }

        private void fail(RuntimeException why, int document) {
            failure = why;
            failedDocument = document;
            done = true;
        }
    }

    private final MongoCollection<Document> events;
    private final PositionAllocator positions;
    private final DurabilityBarrier durability;
    /** Highest position holding an event, when this process is the single writer; else null. */
    private final AtomicLong highestStored;
    private final RecentEvents recent;
    private final java.util.function.LongSupplier ticker;
    private final long maxReservationAgeNanos;
    /** Sessions for one transaction per round, on a store that has them; null elsewhere. */
    private final java.util.function.Supplier<ClientSession> sessions;
    private final TransactionOptions transaction;
    private final ConcurrentLinkedQueue<Append> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock turn = new ReentrantLock();

    AppendCombiner(MongoCollection<Document> events, PositionAllocator positions, DurabilityBarrier durability,
                   AtomicLong highestStored, RecentEvents recent, java.util.function.LongSupplier ticker,
                   long maxReservationAgeNanos, java.util.function.Supplier<ClientSession> sessions,
                   WriteConcern writeConcern) {
        this.sessions = sessions;
        // Transactions read and write on the primary whatever the connection string prefers.
        this.transaction = TransactionOptions.builder().writeConcern(writeConcern)
                                             .readPreference(com.mongodb.ReadPreference.primary()).build();
        this.ticker = ticker;
        this.maxReservationAgeNanos = maxReservationAgeNanos;
        this.events = events;
        this.positions = positions;
        this.durability = durability;
        this.highestStored = highestStored;
        this.recent = recent;
    }

    /**
     * Stores the documents (their {@code _id}, the position, is set here) and returns once they are durable, or
     * failed: see {@link Append#failure()}.
     */
    Append append(List<Document> documents) {
        Append mine = new Append(documents);
        queue.add(mine);
        turn.lock();
        try {
            while (!mine.done) {
                storeQueued();
            }
        } finally {
            turn.unlock();
        }
        return mine;
    }

    /**
     * Stores what is queued, up to {@link #MAX_DOCUMENTS} (at least one append), and waits for durability once.
     * Whatever happens, every append taken off the queue is done when this returns: one left undone would keep its
     * caller waiting for good, holding the turn.
     */
    private void storeQueued() {
        List<Append> round = new ArrayList<>();
        int documents = 0;
        for (Append next = queue.peek(); next != null && (round.isEmpty() || documents + next.documents.size()
                                                                            <= MAX_DOCUMENTS); next = queue.peek()) {
            round.add(queue.poll());
            documents += next.documents.size();
        }
        try {
            store(round);
        } catch (RuntimeException | Error e) {
            for (Append append : round) {
                if (!append.done) {
                    append.fail(e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e), 0);
                }
            }
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /**
     * Reserves positions for {@code documents} and gives them out, in order; returns the one after the last. A
     * reservation that grew older than the bound before its insert starts (this thread paused) is given up, its
     * positions left as gaps, and new ones reserved: readers give up on a gap only after the gap timeout, well
     * beyond the bound, so an insert that starts in time is never skipped by them.
     */
    private long reserveFor(List<Document> documents) {
        while (true) {
            // Timed from before the request: the counter moved at some moment after it, so the age is not less.
            long reservedAt = ticker.getAsLong();
            long next = number(documents, positions.reserve(documents.size()));
            if (ticker.getAsLong() - reservedAt <= maxReservationAgeNanos) {
                return next;
            }
        }
    }

    /** Gives {@code documents} the consecutive positions ending at {@code highest}; returns the one after. */
    private static long number(List<Document> documents, long highest) {
        long next = highest - documents.size() + 1;
        for (Document document : documents) {
            document.put(EventDocuments.ID, next++);
        }
        return next;
    }

    /** The index of the append in {@code round} whose documents include the round's document {@code document}. */
    private static int appendAt(List<Append> round, int document) {
        int offset = 0;
        int append = 0;
        while (offset + round.get(append).documents.size() <= document) {
            offset += round.get(append).documents.size();
            append++;
        }
        return append;
    }

    /** The round's index of the first document of append {@code append}. */
    private static int firstDocumentOf(List<Append> round, int append) {
        int offset = 0;
        for (int i = 0; i < append; i++) {
            offset += round.get(i).documents.size();
        }
        return offset;
    }

    /**
     * Stores the round's appends, one insert (on a replica set, one transaction) at a time. When a document
     * conflicts, its append fails alone; without a transaction the appends before it were stored (and the
     * conflicting one's first documents, deleted again here), with one nothing was, so all but the conflicting one
     * go again. On a replica set each transaction is the counter's {@code $inc} by the round's size and the
     * inserts: a round's positions are contiguous and rounds commit in position order (a second writer's
     * {@code $inc} conflicts until the first commits), so trackers see no gaps while writers are live.
     */
    private void store(List<Append> taken) {
        List<Append> round = taken;
        List<Append> stored = new ArrayList<>();
        long highest = 0;
        while (!round.isEmpty()) {
            List<Document> all = new ArrayList<>();
            round.forEach(append -> all.addAll(append.documents));
            try {
                highest = Math.max(highest, sessions == null ? insert(all) : insertInTransaction(all));
                stored.addAll(round);
                round = List.of();
            } catch (MongoBulkWriteException e) {
                if (e.getWriteErrors().isEmpty()) {
                    // No document refused (a write concern not met): whether they are durable is unknown, for all.
                    round.forEach(append -> append.fail(e, 0));
                    round = List.of();
                    continue;
                }
                int failedAt = e.getWriteErrors().get(0).getIndex();
                int failing = appendAt(round, failedAt);
                int offset = firstDocumentOf(round, failing);
                Append conflicted = round.get(failing);
                conflicted.fail(e, failedAt - offset);
                List<Append> rest = new ArrayList<>(round.subList(failing + 1, round.size()));
                if (sessions == null) {
                    deleteWritten(conflicted.documents.subList(0, failedAt - offset));
                    stored.addAll(round.subList(0, failing));
                    if (failing > 0) {
                        highest = Math.max(highest, (Long) all.get(offset - 1).get(EventDocuments.ID));
                    }
                } else {
                    rest.addAll(0, round.subList(0, failing));
                }
                round = rest;
            } catch (RuntimeException e) {
                round.forEach(append -> append.fail(e, 0));
                round = List.of();
            }
        }
        if (stored.isEmpty()) {
            return;
        }
        if (highestStored != null) {
            highestStored.accumulateAndGet(highest, Math::max);
        }
        awaitDurable(stored);
    }

    /** Numbers and inserts {@code documents}; returns the highest position. */
    private long insert(List<Document> documents) {
        long next = reserveFor(documents);
        events.insertMany(documents, new InsertManyOptions().ordered(true));
        return next - 1;
    }

    /** Reserves positions, numbers and inserts {@code documents} in one transaction; returns the highest position. */
    private long insertInTransaction(List<Document> documents) {
        try (ClientSession session = sessions.get()) {
            return session.withTransaction(() -> {
                long highest = positions.reserve(session, documents.size());
                number(documents, highest);
                events.insertMany(session, documents, new InsertManyOptions().ordered(true));
                return highest;
            }, transaction);
        }
    }

    /** Deletes the documents of a failed append that an ordered insert wrote before the one that conflicted. */
    private void deleteWritten(List<Document> written) {
        if (!written.isEmpty()) {
            events.deleteMany(Filters.in(EventDocuments.ID,
                                         written.stream().map(document -> document.get(EventDocuments.ID)).toList()));
        }
    }

    private void awaitDurable(List<Append> stored) {
        try {
            durability.awaitDurable();
            // Kept for this node's trackers before the callers hear of it, so that a read which follows the
            // acknowledgement finds the events in memory.
            stored.forEach(append -> append.documents.forEach(recent::add));
            stored.forEach(append -> append.done = true);
        } catch (RuntimeException e) {
            stored.forEach(append -> append.fail(e, 0));
        }
    }
}
