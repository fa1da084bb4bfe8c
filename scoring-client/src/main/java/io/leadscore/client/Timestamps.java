package io.leadscore.client;

import com.google.protobuf.Timestamp;

import java.time.Instant;

/** Instants as {@code google.protobuf.Timestamp}s, for requests. */
public final class Timestamps {

    private Timestamps() {
    }

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
