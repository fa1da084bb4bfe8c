package io.leadscore.server.backtest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RocAucTest {

    @Test
    void perfectRandomAndTiedRankings() {
        assertThat(RocAuc.of(new double[]{1, 2, 3, 4}, new boolean[]{false, false, true, true})).isEqualTo(1.0);
        assertThat(RocAuc.of(new double[]{1, 2, 3, 4}, new boolean[]{true, true, false, false})).isEqualTo(0.0);
        assertThat(RocAuc.of(new double[]{5, 5, 5, 5}, new boolean[]{true, false, true, false})).isEqualTo(0.5);
        assertThat(RocAuc.of(new double[]{1, 2}, new boolean[]{true, true})).isEqualTo(0.5);
    }

    @Test
    void matchesCountingEveryPair() {
        double[] scores = {0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2};
        boolean[] positive = {false, false, true, true, true, false, false};
        double wins = 0;
        int pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (positive[i] && !positive[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(RocAuc.of(scores, positive)).isCloseTo(wins / pairs, within(1e-12));
    }
}
