package io.leadscore.server.backtest;

import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.server.replay.ReplayedLead;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.v1.Classification;
import io.leadscore.v1.ModelBacktest;
import io.leadscore.v1.SegmentBacktest;
import io.leadscore.v1.ThresholdPoint;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
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

    ModelBacktest.Builder evaluate(List<ReplayedLead> leads, long actualWon, List<Double> thresholds) {
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
        double mqlToWon = rate(won.getTruePositives(), mqlCount);
        double baseWinRate = rate(actualWon, n);
        ModelBacktest.Builder report = ModelBacktest.newBuilder()
                .setModelVersion(model.version())
                .setMqls(mqlCount)
                .setMqlsConvertedToSql(sql.getTruePositives())
                .setMqlsWon(won.getTruePositives())
                .setMqlToSqlRate(rate(sql.getTruePositives(), mqlCount))
                .setMqlToWonRate(mqlToWon)
                .setSqlPrediction(sql)
                .setWonPrediction(won)
                .setAucSql(RocAuc.of(java.util.Arrays.copyOf(cutoffScores, scored),
                                     java.util.Arrays.copyOf(convertedLabels, scored)))
                .setAucWon(RocAuc.of(java.util.Arrays.copyOf(cutoffScores, scored),
                                     java.util.Arrays.copyOf(wonLabels, scored)))
                .setLiftOverBase(baseWinRate == 0 ? 0 : mqlToWon / baseWinRate)
                .setTimeToMql(DurationSummary.distribution(java.util.Arrays.copyOf(timeToMql, mqlCount)));
        sweep(leads, thresholds, actualWon).forEach(report::addThresholdSweep);
        segments(verdicts, v -> v.lead().registration().channel()).forEach(report::addByChannel);
        segments(verdicts, v -> YearMonth.from(v.lead().registration().registeredAt().atZone(ZoneOffset.UTC))
                                         .toString()).forEach(report::addByMonth);
        return report;
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
        return Classification.newBuilder()
                             .setTruePositives(tp).setFalsePositives(fp).setFalseNegatives(fn).setTrueNegatives(tn)
                             .setPrecision(precision).setRecall(recall)
                             .setF1(precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall))
                             .build();
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
            return ThresholdPoint.newBuilder().setThreshold(threshold).setMqls(mqls).setConvertedToSql(converted)
                                 .setWon(won).setMqlToSqlRate(rate(converted, mqls)).setMqlToWonRate(rate(won, mqls))
                                 .setWonRecall(rate(won, actualWon)).build();
        }).toList();
    }

    private static List<SegmentBacktest> segments(Verdict[] verdicts, Function<Verdict, String> key) {
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
            return SegmentBacktest.newBuilder().setSegment(entry.getKey()).setLeads(c[0]).setMqls(c[1])
                                  .setMqlsConvertedToSql(c[2]).setMqlsWon(c[3]).setWon(c[4])
                                  .setMqlToSqlRate(rate(c[2], c[1])).setMqlToWonRate(rate(c[3], c[1])).build();
        }).toList();
    }

    static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
