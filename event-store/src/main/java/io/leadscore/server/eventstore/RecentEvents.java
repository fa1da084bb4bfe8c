package io.leadscore.server.eventstore;

import org.bson.Document;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The event documents this node stored most recently, by position, so that its own trackers (the score projection)
 * read them from memory instead of back from the store.
 * <p>
 * Only documents that are stored and durable come in, exactly as stored (position included), so what a tracker reads
 * here is what it would have read from the store. Anything else (events of other nodes, older events, a position
 * overwritten by a newer one in the ring) is simply absent and read from the store as before: the store stays the
 * source of truth, and a restarted node, whose memory is empty, catches up from it.
 * <p>
 * A ring indexed by position: lookups and additions are O(1) without locks, and memory is bounded by the capacity.
 */
final class RecentEvents {

    /** What a slot holds: the document at one position. */
    private record Slot(long position, Document document) {
    }

    private final AtomicReferenceArray<Slot> ring;
    private final int capacity;

    /** @param capacity how many of the newest documents are kept; 0 keeps none */
    RecentEvents(int capacity) {
        this.capacity = capacity;
        this.ring = new AtomicReferenceArray<>(Math.max(capacity, 1));
    }

    /** Keeps a stored, durable document; its {@code _id} is its position. */
    void add(Document stored) {
        if (capacity == 0) {
            return;
        }
        long position = stored.get(EventDocuments.ID, Number.class).longValue();
        ring.set(slot(position), new Slot(position, stored));
    }

    /** The document stored at {@code position} if it is among the kept ones, else null. */
    Document at(long position) {
        if (capacity == 0) {
            return null;
        }
        Slot slot = ring.get(slot(position));
        return slot != null && slot.position() == position ? slot.document() : null;
    }

    private int slot(long position) {
        return (int) Math.floorMod(position, (long) capacity);
    }
}
