package io.leadscore.client.imports;

import com.google.protobuf.Timestamp;

import java.time.Instant;

/** Small conversions the import sources share. */
final class Imports {

    private Imports() {
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
