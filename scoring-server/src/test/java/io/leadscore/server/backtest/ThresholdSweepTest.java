package io.leadscore.server.backtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The automatic threshold sweep: bounded whatever totals the models gave. */
class ThresholdSweepTest {

    @Test
    void everyTenPointsUpToTheHighestTotal() {
        assertThat(ThresholdSweep.automatic(new double[] {3, 42, 17})).containsExactly(10.0, 20.0, 30.0, 40.0);
    }

    @Test
    void theStepWidensToStayAtTwentyFiveRows() {
        assertThat(ThresholdSweep.automatic(new double[] {1000})).hasSize(25).startsWith(40.0).endsWith(1000.0);
    }

    @Test
    void noTotalsGiveOneRow() {
        assertThat(ThresholdSweep.automatic(new double[0])).containsExactly(10.0);
    }

    @Test
    @Timeout(5)
    void infiniteAndHugeTotalsStillGiveAtMostTwentyFiveFiniteThresholds() {
        assertThat(ThresholdSweep.automatic(new double[] {Double.POSITIVE_INFINITY, Double.NaN, 50}))
                .containsExactly(10.0, 20.0, 30.0, 40.0, 50.0);
        assertThat(ThresholdSweep.automatic(new double[] {Double.MAX_VALUE}))
                .hasSizeBetween(1, ThresholdSweep.TARGET_ROWS)
                .allSatisfy(threshold -> assertThat(Double.isFinite(threshold)).isTrue());
    }
}
