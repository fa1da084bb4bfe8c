package io.leadscore.server.common.stats;

/**
 * Percentiles of already sorted values. Kept apart from the features that report them (funnel velocity, backtest
 * time to MQL) so that each reads the same nearest-rank rule without depending on the other.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** The {@code p}-th percentile (0-100) of {@code sorted} by nearest rank; 0 for none. */
    public static long nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
