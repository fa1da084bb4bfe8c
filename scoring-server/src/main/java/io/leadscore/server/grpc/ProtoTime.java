package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;

import java.time.Instant;

/** Maps protobuf's well-known time types, which every service's messages carry, to and from {@code java.time}. */
final class ProtoTime {

    private ProtoTime() {
    }

    static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static Timestamp toTimestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** A duration of a report, to the millisecond as reports have always given them. */
    static com.google.protobuf.Duration toDuration(java.time.Duration duration) {
        long millis = duration.toMillis();
        return com.google.protobuf.Duration.newBuilder().setSeconds(Math.floorDiv(millis, 1000))
                                           .setNanos((int) Math.floorMod(millis, 1000) * 1_000_000).build();
    }
}
