package io.leadscore.server.backtest;

import io.leadscore.v1.DurationBucket;
import io.leadscore.v1.DurationDistribution;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Summaries of durations: nearest-rank percentiles, the mean and fixed buckets people read at a glance. */
public final class DurationSummary {

    private static final List<Bucket> BUCKETS = List.of(new Bucket("1h", Duration.ofHours(1)),
                                                        new Bucket("1d", Duration.ofDays(1)),
                                                        new Bucket("7d", Duration.ofDays(7)),
                                                        new Bucket("30d", Duration.ofDays(30)),
                                                        new Bucket("90d", Duration.ofDays(90)));

    private record Bucket(String label, Duration upTo) {
    }

    private DurationSummary() {
    }

    /** The {@code p}-th percentile (0-100) of sorted millis by nearest rank; 0 for none. */
    public static long percentile(long[] sortedMillis, double p) {
        if (sortedMillis.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedMillis.length);
        return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, rank - 1))];
    }

    /** The distribution of {@code millis} (sorted here). */
    static DurationDistribution distribution(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        DurationDistribution.Builder builder = DurationDistribution.newBuilder()
                .setCount(sorted.length)
                .setP50(toProto(percentile(sorted, 50)))
                .setP90(toProto(percentile(sorted, 90)))
                .setMean(toProto(sorted.length == 0 ? 0 : (long) Arrays.stream(sorted).average().orElse(0)));
        int from = 0;
        for (Bucket bucket : BUCKETS) {
            int to = from;
            while (to < sorted.length && sorted[to] <= bucket.upTo().toMillis()) {
                to++;
            }
            builder.addBuckets(DurationBucket.newBuilder().setUpTo(bucket.label()).setCount(to - from));
            from = to;
        }
        builder.addBuckets(DurationBucket.newBuilder().setUpTo("later").setCount(sorted.length - from));
        return builder.build();
    }

    public static com.google.protobuf.Duration toProto(long millis) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(Math.floorDiv(millis, 1000))
                                           .setNanos((int) Math.floorMod(millis, 1000) * 1_000_000).build();
    }
}
