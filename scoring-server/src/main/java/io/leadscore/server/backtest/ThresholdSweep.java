package io.leadscore.server.backtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The total-score thresholds a backtest sweeps when the request names none: every 10 points up to the highest
 * total seen, the step doubled until that takes at most {@value #TARGET_ROWS} rows. The count is bounded whatever the
 * scores are: totals that are not finite numbers (a model from before scores were bounded) are left out, and
 * the rows are counted, never found by adding steps to a double until it passes the highest.
 */
final class ThresholdSweep {

    static final int TARGET_ROWS = 25;
    private static final double FIRST_STEP = 10;

    private ThresholdSweep() {
    }

    static List<Double> automatic(double[] peakTotals) {
        double highest = 0;
        for (double peak : peakTotals) {
            if (Double.isFinite(peak)) {
                highest = Math.max(highest, peak);
            }
        }
        double step = FIRST_STEP;
        while (highest / step > TARGET_ROWS) {
            step *= 2;
        }
        int rows = (int) Math.min(TARGET_ROWS, Math.max(1, Math.floor(highest / step)));
        List<Double> thresholds = new ArrayList<>(rows);
        for (int row = 1; row <= rows; row++) {
            thresholds.add(step * row);
        }
        return thresholds;
    }
}
