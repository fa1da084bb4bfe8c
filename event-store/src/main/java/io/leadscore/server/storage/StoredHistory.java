package io.leadscore.server.storage;

import com.mongodb.client.MongoCursor;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.bson.Document;

import java.util.Iterator;
import java.util.Optional;

/** The history in the store of {@code connection}, through {@code engine} (see {@link HistorySource}). */
final class StoredHistory implements HistorySource {

    private final MongoIndexedEventStorageEngine engine;
    private final MongoConnection connection;

    StoredHistory(MongoIndexedEventStorageEngine engine, MongoConnection connection) {
        this.engine = engine;
        this.connection = connection;
    }

    @Override
    public long headPosition() {
        return engine.headPosition();
    }

    @Override
    public History open() {
        LongReadHold hold = connection.holdSnapshotForLongRead();
        Optional<Iterator<Document>> direct;
        try {
            direct = connection.scanEmbedded(MongoIndexedEventStorageEngine.EVENTS);
        } catch (RuntimeException e) {
            hold.close();
            throw e;
        }
        if (direct.isPresent()) {
            return history(direct.get(), hold::close);
        }
        MongoCursor<Document> cursor = engine.readHistory();
        return history(cursor, () -> {
            cursor.close();
            hold.close();
        });
    }

    @Override
    public TrackedEventMessage<?> decode(Document document) {
        return engine.toEventMessage(document);
    }

    @Override
    public String aggregateIdOf(Document document) {
        return MongoIndexedEventStorageEngine.aggregateIdOf(document);
    }

    @Override
    public long scanRaw() {
        try (LongReadHold hold = connection.holdSnapshotForLongRead()) {
            return engine.scanRaw();
        }
    }

    private static History history(Iterator<Document> documents, Runnable release) {
        return new History() {
            @Override
            public Iterator<Document> documents() {
                return documents;
            }

            @Override
            public void close() {
                release.run();
            }
        };
    }
}
