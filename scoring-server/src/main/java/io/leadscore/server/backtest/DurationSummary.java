package io.leadscore.server.backtest;

import io.leadscore.server.backtest.BacktestResult.DurationBucket;
import io.leadscore.server.backtest.BacktestResult.DurationDistribution;
import io.leadscore.server.common.stats.Percentiles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Summaries of durations: nearest-rank percentiles, the mean and fixed buckets people read at a glance. */
final class DurationSummary {

    private static final List<Bucket> BUCKETS = List.of(new Bucket("1h", Duration.ofHours(1)),
                                                        new Bucket("1d", Duration.ofDays(1)),
                                                        new Bucket("7d", Duration.ofDays(7)),
                                                        new Bucket("30d", Duration.ofDays(30)),
                                                        new Bucket("90d", Duration.ofDays(90)));

    private record Bucket(String label, Duration upTo) {
    }

    private DurationSummary() {
    }

    /** The distribution of {@code millis} (sorted here). */
    static DurationDistribution distribution(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        List<DurationBucket> buckets = new ArrayList<>(BUCKETS.size() + 1);
        int from = 0;
        for (Bucket bucket : BUCKETS) {
            int to = from;
            while (to < sorted.length && sorted[to] <= bucket.upTo().toMillis()) {
                to++;
            }
            buckets.add(new DurationBucket(bucket.label(), to - from));
            from = to;
        }
        buckets.add(new DurationBucket("later", sorted.length - from));
        long mean = sorted.length == 0 ? 0 : (long) Arrays.stream(sorted).average().orElse(0);
        return new DurationDistribution(sorted.length, Duration.ofMillis(Percentiles.nearestRank(sorted, 50)),
                                        Duration.ofMillis(Percentiles.nearestRank(sorted, 90)),
                                        Duration.ofMillis(mean), List.copyOf(buckets));
    }
}
