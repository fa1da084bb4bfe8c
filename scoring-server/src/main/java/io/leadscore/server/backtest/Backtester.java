package io.leadscore.server.backtest;

import io.leadscore.server.backtest.BacktestResult.ModelResult;
import io.leadscore.server.backtest.BacktestResult.ReadStatistics;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.replay.HistoryReplay;
import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.server.replay.ReplayedLead;
import io.leadscore.server.scoring.ScoringModel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a backtest: one replay of the stored history folds every lead under each candidate and the active model
 * side by side, then each model is scored against what really happened to the same leads.
 */
public final class Backtester {

    private final HistoryReplay replay;

    public Backtester(HistoryReplay replay) {
        this.replay = replay;
    }

    /**
     * What to backtest.
     *
     * @param candidates       the models to compare, in the order the report lists them
     * @param active           the active model, reported last as the baseline
     * @param window           the cohort and the facts scored
     * @param scoreCutoff      when scores for the AUC are read, or null to read them at {@code scoreHorizon}
     * @param scoreHorizon     the age of a lead at which its score is read when there is no cut-off
     * @param thresholds       total-score thresholds to sweep; empty for automatic ones
     * @param compareRawCursor also time a raw cursor over the same collection
     */
    public record Spec(List<ScoringModel> candidates, ScoringModel active, ReplayWindow window, Instant scoreCutoff,
                       Duration scoreHorizon, List<Double> thresholds, boolean compareRawCursor) {
    }

    public BacktestResult run(Spec spec, HistoryReplay.Progress progress) {
        List<ScoringModel> models = new ArrayList<>(spec.candidates());
        models.add(spec.active());
        HistoryReplay.Result result = replay.replay(models, spec.window(), LeadState.Stages.DERIVED, progress);
        List<ReplayedLead> leads = result.leads();

        long actualSqls = leads.stream().filter(lead -> lead.convertedAt() != null).count();
        long actualWon = leads.stream().filter(lead -> lead.wonAt() != null).count();
        List<Double> thresholds = spec.thresholds().isEmpty() ? automaticThresholds(leads, models.size(), spec.window())
                                                              : spec.thresholds().stream().sorted().toList();
        List<ModelResult> evaluated = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            ModelEvaluation evaluation = new ModelEvaluation(models.get(i), i, spec.window(), spec.scoreCutoff(),
                                                             spec.scoreHorizon());
            evaluated.add(evaluation.evaluate(leads, actualWon, thresholds, i == models.size() - 1));
        }
        double activeRate = evaluated.get(evaluated.size() - 1).mqlToWonRate();
        List<ModelResult> compared = evaluated.stream().map(model -> model.withLiftOverActive(
                activeRate == 0 ? 0 : model.mqlToWonRate() / activeRate)).toList();
        long aucLeads = leads.stream().filter(lead -> ModelEvaluation.scoredAt(lead, spec.scoreCutoff(),
                                                                               spec.scoreHorizon()) != null).count();
        return new BacktestResult(spec.window().from(), spec.window().to(), spec.scoreCutoff(),
                                  spec.scoreCutoff() == null ? spec.scoreHorizon() : null, aucLeads, leads.size(),
                                  actualSqls, actualWon, compared, readStatistics(result, spec.compareRawCursor()));
    }

    /** How fast the replay read; with {@code compareRawCursor}, a bare cursor over the same store is timed next. */
    private ReadStatistics readStatistics(HistoryReplay.Result result, boolean compareRawCursor) {
        double seconds = Math.max(1e-9, result.elapsed().toNanos() / 1e9);
        double rawPerSecond = 0;
        if (compareRawCursor) {
            long started = System.nanoTime();
            long documents = replay.scanRaw();
            rawPerSecond = documents / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        }
        return new ReadStatistics(result.eventsRead(), result.elapsed(), result.eventsRead() / seconds, rawPerSecond);
    }

    /** The automatic sweep over the highest total each model gave each lead before its conversion. */
    private static List<Double> automaticThresholds(List<ReplayedLead> leads, int models, ReplayWindow window) {
        double[] peaks = new double[leads.size() * models];
        int next = 0;
        for (ReplayedLead lead : leads) {
            Instant limit = lead.convertedAt() == null ? window.to() : lead.convertedAt();
            for (int i = 0; i < models; i++) {
                peaks[next++] = lead.peakTotalBefore(i, limit);
            }
        }
        return ThresholdSweep.automatic(peaks);
    }
}
