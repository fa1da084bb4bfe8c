package io.leadscore.server.compat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.mongodb.client.MongoCursor;
import io.leadscore.server.LeadscoreServer;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a store holds, as the running server's own event store reads it: how many events of each payload type, and
 * whether each one reads with the code at hand. An event is unreadable when this code has no class of its stored
 * type name (a class moved or renamed without an upcaster), or when its stored JSON has a property the class no
 * longer reads (a record component renamed or removed: Jackson, told to ignore unknown properties, would otherwise
 * leave the value null without a word). Unreadable events are keyed {@code "unreadable: <stored type> (why)"}.
 */
final class StoredHistory {

    static final String UNREADABLE = "unreadable: ";

    private StoredHistory() {
    }

    /** Payload type name (as this code reads it) to count; unreadable events keyed by their stored type. */
    static Map<String, Integer> eventsByType(LeadscoreServer server) {
        MongoIndexedEventStorageEngine engine = server.internals().engine();
        Map<String, Integer> counts = new TreeMap<>();
        try (MongoCursor<Document> documents = engine.readHistory()) {
            while (documents.hasNext()) {
                EventMessage<?> event = engine.toEventMessage(documents.next());
                counts.merge(event == null ? "dropped by an upcaster" : typeOf(event, engine.getEventSerializer()),
                             1, Integer::sum);
            }
        }
        return counts;
    }

    /** The type of the lead's stored snapshot as this code reads it, or empty when none is stored. */
    static Optional<String> snapshotType(LeadscoreServer server, String leadId) {
        MongoIndexedEventStorageEngine engine = server.internals().engine();
        return engine.readSnapshot(leadId).map(snapshot -> typeOf(snapshot, engine.getSnapshotSerializer()));
    }

    private static String typeOf(EventMessage<?> event, Serializer serializer) {
        Object payload;
        try {
            payload = event.getPayload();
        } catch (RuntimeException e) {
            return UNREADABLE + event.getPayloadType().getName() + " (" + firstLine(e) + ")";
        }
        if (payload instanceof UnknownSerializedType unknown) {
            return UNREADABLE + unknown.serializedType().getName() + " (no such class)";
        }
        String type = payload.getClass().getName();
        // The stored JSON (after any upcasters: the message returns what it was read from), read again strictly.
        byte[] stored = event.serializePayload(serializer, byte[].class).getData();
        ObjectMapper strict = ((JacksonSerializer) serializer).getObjectMapper().copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            strict.readValue(stored, payload.getClass());
        } catch (UnrecognizedPropertyException e) {
            return UNREADABLE + type + " (stored property \"" + e.getPropertyName() + "\" of "
                   + e.getReferringClass().getSimpleName() + " is no longer read: renamed or removed without "
                   + "@JsonAlias or @JsonIgnoreProperties?)";
        } catch (IOException | RuntimeException e) {
            return UNREADABLE + type + " (" + firstLine(e) + ")";
        }
        return type;
    }

    private static String firstLine(Exception e) {
        return e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
