package io.leadscore.server.backtest;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Area under the ROC curve by the rank-sum (Mann-Whitney) formula: the probability that a random positive scores
 * higher than a random negative, ties counting half. Exact, O(n log n), no curve sampling.
 */
final class RocAuc {

    private RocAuc() {
    }

    /** AUC of {@code scores} predicting {@code positive}; 0.5 when either class is empty. */
    static double of(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based; ties share their average rank
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
