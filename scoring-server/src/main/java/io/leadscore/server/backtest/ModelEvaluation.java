package io.leadscore.server.backtest;

import io.leadscore.server.backtest.BacktestResult.Classification;
import io.leadscore.server.backtest.BacktestResult.ModelResult;
import io.leadscore.server.backtest.BacktestResult.Segment;
import io.leadscore.server.backtest.BacktestResult.ThresholdPoint;
import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.server.replay.ReplayedLead;
import io.leadscore.server.scoring.ScoringModel;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Scores one model's replay against the truth. A lead counts as the model's MQL when the model qualified it in
 * the window before sales took it (SQL or later): an MQL that only arrives with the conversion predicts nothing.
 */
final class ModelEvaluation {

    private final ScoringModel model;
    private final int index;
    private final ReplayWindow window;
    private final Instant scoreCutoff;
    private final java.time.Duration scoreHorizon;

    ModelEvaluation(ScoringModel model, int index, ReplayWindow window, Instant scoreCutoff,
                    java.time.Duration scoreHorizon) {
        this.model = model;
        this.index = index;
        this.window = window;
        this.scoreCutoff = scoreCutoff;
        this.scoreHorizon = scoreHorizon;
    }

    /** One lead as this model saw it. */
    private record Verdict(ReplayedLead lead, boolean mql, boolean converted, boolean won) {
    }

    /**
     * The model's result; its lift over the active model is left at 0 until every model is evaluated
     * ({@link ModelResult#withLiftOverActive}).
     */
    ModelResult evaluate(List<ReplayedLead> leads, long actualWon, List<Double> thresholds, boolean active) {
        int n = leads.size();
        Verdict[] verdicts = new Verdict[n];
        double[] cutoffScores = new double[n];
        boolean[] convertedLabels = new boolean[n];
        boolean[] wonLabels = new boolean[n];
        int scored = 0;
        long[] timeToMql = new long[n];
        int mqlCount = 0;
        for (int i = 0; i < n; i++) {
            ReplayedLead lead = leads.get(i);
            Instant convertedAt = lead.convertedAt();
            Instant mqlAt = lead.mqlAt(index);
            boolean mql = mqlAt != null && (convertedAt == null || mqlAt.isBefore(convertedAt));
            verdicts[i] = new Verdict(lead, mql, convertedAt != null, lead.wonAt() != null);
            Instant scoredAt = scoredAt(lead, scoreCutoff, scoreHorizon);
            if (scoredAt != null) {
                cutoffScores[scored] = lead.state(index).explainAsOf(model, scoredAt).card().total();
                convertedLabels[scored] = verdicts[i].converted();
                wonLabels[scored] = verdicts[i].won();
                scored++;
            }
            if (mql) {
                timeToMql[mqlCount++] = Math.max(0, mqlAt.toEpochMilli()
                                                    - lead.registration().registeredAt().toEpochMilli());
            }
        }
        Classification sql = classify(verdicts, Verdict::converted);
        Classification won = classify(verdicts, Verdict::won);
        double mqlToWon = rate(won.truePositives(), mqlCount);
        double baseWinRate = rate(actualWon, n);
        double[] aucScores = Arrays.copyOf(cutoffScores, scored);
        return new ModelResult(model.version(), active, mqlCount, sql.truePositives(), won.truePositives(),
                               rate(sql.truePositives(), mqlCount), mqlToWon, sql, won,
                               RocAuc.of(aucScores, Arrays.copyOf(convertedLabels, scored)),
                               RocAuc.of(aucScores, Arrays.copyOf(wonLabels, scored)),
                               baseWinRate == 0 ? 0 : mqlToWon / baseWinRate, 0,
                               DurationSummary.distribution(Arrays.copyOf(timeToMql, mqlCount)),
                               sweep(leads, thresholds, actualWon),
                               segments(verdicts, v -> v.lead().registration().channel()),
                               segments(verdicts, v -> YearMonth.from(v.lead().registration().registeredAt()
                                                                       .atZone(ZoneOffset.UTC)).toString()));
    }

    /**
     * When the lead's score is read for the AUC: at the cut-off, or at the horizon after its registration; null
     * when the lead does not take part, because it registered after the cut-off or had already converted by then
     * (its outcome is known, there is nothing left to predict). Its label is converting afterwards.
     */
    static Instant scoredAt(ReplayedLead lead, Instant cutoff, java.time.Duration horizon) {
        Instant registeredAt = lead.registration().registeredAt();
        Instant at = cutoff != null ? cutoff : registeredAt.plus(horizon);
        if (at.isBefore(registeredAt)) {
            return null;
        }
        Instant convertedAt = lead.convertedAt();
        return convertedAt != null && !convertedAt.isAfter(at) ? null : at;
    }

    private static Classification classify(Verdict[] verdicts, Function<Verdict, Boolean> truth) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (Verdict verdict : verdicts) {
            boolean actual = truth.apply(verdict);
            if (verdict.mql()) {
                if (actual) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
        }
        double precision = rate(tp, tp + fp);
        double recall = rate(tp, tp + fn);
        return new Classification(tp, fp, fn, tn, precision, recall,
                                  precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }

    /** MQL volume and conversion if the MQL rule were "total at least T", for each T. */
    private List<ThresholdPoint> sweep(List<ReplayedLead> leads, List<Double> thresholds, long actualWon) {
        double[] peaks = new double[leads.size()];
        for (int i = 0; i < peaks.length; i++) {
            ReplayedLead lead = leads.get(i);
            peaks[i] = lead.peakTotalBefore(index, lead.convertedAt() == null ? window.to() : lead.convertedAt());
        }
        return thresholds.stream().map(threshold -> {
            long mqls = 0;
            long converted = 0;
            long won = 0;
            for (int i = 0; i < peaks.length; i++) {
                if (peaks[i] >= threshold) {
                    mqls++;
                    converted += leads.get(i).convertedAt() != null ? 1 : 0;
                    won += leads.get(i).wonAt() != null ? 1 : 0;
                }
            }
            return new ThresholdPoint(threshold, mqls, converted, won, rate(converted, mqls), rate(won, mqls),
                                      rate(won, actualWon));
        }).toList();
    }

    private static List<Segment> segments(Verdict[] verdicts, Function<Verdict, String> key) {
        Map<String, long[]> counts = new TreeMap<>();
        for (Verdict verdict : verdicts) {
            long[] c = counts.computeIfAbsent(key.apply(verdict), k -> new long[5]);
            c[0]++;
            if (verdict.mql()) {
                c[1]++;
                c[2] += verdict.converted() ? 1 : 0;
                c[3] += verdict.won() ? 1 : 0;
            }
            c[4] += verdict.won() ? 1 : 0;
        }
        return counts.entrySet().stream().map(entry -> {
            long[] c = entry.getValue();
            return new Segment(entry.getKey(), c[0], c[1], c[2], c[3], c[4], rate(c[2], c[1]), rate(c[3], c[1]));
        }).toList();
    }

    static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
