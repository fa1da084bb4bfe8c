package io.leadscore.server.storage;

import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.bson.Document;

import java.util.Iterator;

/**
 * The whole stored history as a replay reads it: every event document once, in the store's order, from a view that
 * stays consistent while it is read. On the embedded store the documents come straight from its file (a query
 * through its server would lock out appends for as long as the read takes) under a pinned version; on MongoDB a
 * plain cursor does the same without blocking writers. What the replay makes of the documents is its own business.
 */
public interface HistorySource {

    /** The history stored through {@code engine} in the store of {@code connection}. */
    static HistorySource of(MongoIndexedEventStorageEngine engine, MongoConnection connection) {
        return new StoredHistory(engine, connection);
    }

    /** The stored documents, open until closed. */
    interface History extends AutoCloseable {

        Iterator<Document> documents();

        @Override
        void close();
    }

    /** The highest position stored now: a replay stops there, so events appended meanwhile are left for later. */
    long headPosition();

    /** Opens every stored document for one pass. */
    History open();

    /** The event a document holds, with its position. */
    TrackedEventMessage<?> decode(Document document);

    /** The aggregate a document belongs to: among its first fields, cheap to route by before decoding. */
    String aggregateIdOf(Document document);

    /**
     * Reads every stored document once with a bare cursor, decoding nothing, under the same hold as a replay: the
     * yardstick a replay's read speed is compared with. Answers how many documents it read.
     */
    long scanRaw();
}
