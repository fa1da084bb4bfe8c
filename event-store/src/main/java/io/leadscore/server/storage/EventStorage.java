package io.leadscore.server.storage;

import com.mongodb.WriteConcern;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.serialization.Serializer;

import java.util.concurrent.TimeUnit;

/** The event store on a connection, with the durability that connection gives. */
public final class EventStorage {

    private EventStorage() {
    }

    /**
     * The event store on {@code connection}: a single writer on the embedded server, majority-acknowledged and
     * journaled writes on MongoDB, each batch of appends in one transaction on a replica set. Tools that write history directly (the benchmark's generator) use it too.
     */
    public static MongoIndexedEventStorageEngine on(MongoConnection connection, Serializer serializer) {
        return on(connection, serializer, new SimpleMeterRegistry());
    }

    /** The event store on {@code connection}, timing appends and reads into {@code registry}. */
    public static MongoIndexedEventStorageEngine on(MongoConnection connection, Serializer serializer,
                                                    MeterRegistry registry) {
        return MongoIndexedEventStorageEngine.builder()
                .meterRegistry(registry)
                .database(connection.database())
                .durability(connection.durability())
                .singleWriter(connection.isEmbedded())
                .transactions(connection.supportsTransactions() ? connection::startSession : null)
                .writeConcern(connection.isEmbedded() ? WriteConcern.ACKNOWLEDGED
                                      : WriteConcern.MAJORITY.withJournal(true).withWTimeout(10, TimeUnit.SECONDS))
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .build();
    }
}
