package io.leadscore.server.eventstore;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.bson.types.Binary;

import java.time.Instant;

/**
 * Maps Axon events to the documents of the {@code domain_events} and {@code snapshot_events} collections and back.
 *
 * <p>{@code streamKey} joins aggregate id and sequence number into one string with a unique index: it makes a lead's
 * events readable by exact-key {@code $in} lookups (the only lookups the embedded server serves from an index) and
 * it is the optimistic-concurrency guard, since two writers can never store the same sequence number of one lead.
 */
final class EventDocuments {

    static final String ID = "_id";
    static final String STREAM_KEY = "streamKey";
    static final String AGGREGATE_ID = "aggregateIdentifier";
    static final String SEQUENCE = "sequenceNumber";
    static final String TYPE = "type";
    static final String EVENT_ID = "eventIdentifier";
    static final String TIMESTAMP_NANOS = "timestampNanos";
    static final String STORED_AT = "storedAtMillis";
    static final String PAYLOAD_TYPE = "payloadType";
    static final String PAYLOAD_REVISION = "payloadRevision";
    static final String PAYLOAD = "payload";
    static final String META_DATA = "metaData";

    private static final char KEY_SEPARATOR = '\u001f';

    private EventDocuments() {
    }

    static String streamKey(String aggregateId, long sequenceNumber) {
        return aggregateId + KEY_SEPARATOR + sequenceNumber;
    }

    /** An event document at a global position. Non-domain events are stored under their own id, sequence 0. */
    static Document eventDocument(long position, EventMessage<?> event, Serializer serializer, long storedAtMillis) {
        Document document = new Document(ID, position);
        String aggregateId;
        long sequence;
        String type;
        if (event instanceof DomainEventMessage<?> domainEvent) {
            aggregateId = domainEvent.getAggregateIdentifier();
            sequence = domainEvent.getSequenceNumber();
            type = domainEvent.getType();
        } else {
            aggregateId = event.getIdentifier();
            sequence = 0;
            type = null;
        }
        document.append(STREAM_KEY, streamKey(aggregateId, sequence))
                .append(AGGREGATE_ID, aggregateId)
                .append(SEQUENCE, sequence)
                .append(TYPE, type)
                .append(EVENT_ID, event.getIdentifier())
                .append(STORED_AT, storedAtMillis);
        return appendBody(document, event, serializer);
    }

    /** A snapshot document; there is one per aggregate, keyed by aggregate id. */
    static Document snapshotDocument(DomainEventMessage<?> snapshot, Serializer serializer) {
        Document document = new Document(ID, snapshot.getAggregateIdentifier())
                .append(AGGREGATE_ID, snapshot.getAggregateIdentifier())
                .append(SEQUENCE, snapshot.getSequenceNumber())
                .append(TYPE, snapshot.getType())
                .append(EVENT_ID, snapshot.getIdentifier());
        return appendBody(document, snapshot, serializer);
    }

    private static Document appendBody(Document document, EventMessage<?> event, Serializer serializer) {
        SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
        SerializedObject<byte[]> metaData = event.serializeMetaData(serializer, byte[].class);
        Instant timestamp = event.getTimestamp();
        return document.append(TIMESTAMP_NANOS, toEpochNanos(timestamp))
                       .append(PAYLOAD_TYPE, payload.getType().getName())
                       .append(PAYLOAD_REVISION, payload.getType().getRevision())
                       .append(PAYLOAD, new Binary(payload.getData()))
                       .append(META_DATA, new Binary(metaData.getData()));
    }

    /** Reads an event or snapshot back; events stored without aggregate type come back as non-domain events. */
    static DomainEventData<byte[]> toEventData(Document document) {
        String type = document.getString(TYPE);
        return new GenericDomainEventEntry<>(
                type,
                type == null ? null : document.getString(AGGREGATE_ID),
                document.getLong(SEQUENCE),
                document.getString(EVENT_ID),
                fromEpochNanos(document.getLong(TIMESTAMP_NANOS)),
                document.getString(PAYLOAD_TYPE),
                document.getString(PAYLOAD_REVISION),
                document.get(PAYLOAD, Binary.class).getData(),
                document.get(META_DATA, Binary.class).getData());
    }

    static long toEpochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    static Instant fromEpochNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
