package io.leadscore.server.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What each model would have done on the same history.
 *
 * @param from         the window the cohort was taken from
 * @param to           the end of the window
 * @param scoreCutoff  the one time scores for the AUC were read, or null when they were read at {@code scoreHorizon}
 * @param scoreHorizon the age at which each lead's score was read for the AUC, or null when there was a cut-off
 * @param aucLeads     leads the AUC compares: those not converted by the time their score was read
 * @param cohortLeads  leads registered in the window
 * @param actualSqls   of them, leads that really reached SQL or a later stage (any time)
 * @param actualWon    of them, leads that really became customers
 * @param models       the candidates in the order asked for, then the active model as the baseline
 * @param read         how fast the history was read
 */
public record BacktestResult(Instant from, Instant to, Instant scoreCutoff, Duration scoreHorizon, long aucLeads,
                             long cohortLeads, long actualSqls, long actualWon, List<ModelResult> models,
                             ReadStatistics read) {

    /**
     * The backtest of one model.
     *
     * @param modelVersion       the model, as "id@version"
     * @param active             whether this is the active model, the baseline
     * @param mqls               leads that would have become MQLs in the window, before any real conversion
     * @param mqlsConvertedToSql of those MQLs, leads that really reached SQL or later afterwards
     * @param mqlsWon            of those MQLs, leads that really became customers
     * @param mqlToSqlRate       mqlsConvertedToSql / mqls
     * @param mqlToWonRate       mqlsWon / mqls
     * @param sqlPrediction      "MQL" as a predictor of SQL
     * @param wonPrediction      "MQL" as a predictor of a win
     * @param aucSql             area under the ROC curve of the total score when it was read, predicting a later SQL
     * @param aucWon             the same, predicting a later win
     * @param liftOverBase       mqlToWonRate over the cohort's win rate
     * @param liftOverActive     mqlToWonRate over the active model's; 0 when the active model made no MQLs
     * @param timeToMql          time from registration to MQL
     * @param thresholdSweep     MQL volume and conversion at each threshold of the total score
     * @param byChannel          the same figures per acquisition channel
     * @param byMonth            the same figures per month of registration ("2018-03")
     */
    public record ModelResult(String modelVersion, boolean active, long mqls, long mqlsConvertedToSql, long mqlsWon,
                              double mqlToSqlRate, double mqlToWonRate, Classification sqlPrediction,
                              Classification wonPrediction, double aucSql, double aucWon, double liftOverBase,
                              double liftOverActive, DurationDistribution timeToMql,
                              List<ThresholdPoint> thresholdSweep, List<Segment> byChannel, List<Segment> byMonth) {

        /** This result compared with the active model's MQL-to-won rate, known once every model is evaluated. */
        ModelResult withLiftOverActive(double lift) {
            return new ModelResult(modelVersion, active, mqls, mqlsConvertedToSql, mqlsWon, mqlToSqlRate,
                                   mqlToWonRate, sqlPrediction, wonPrediction, aucSql, aucWon, liftOverBase, lift,
                                   timeToMql, thresholdSweep, byChannel, byMonth);
        }
    }

    /** A binary prediction ("the model made it an MQL") scored against the truth. */
    public record Classification(long truePositives, long falsePositives, long falseNegatives, long trueNegatives,
                                 double precision, double recall, double f1) {
    }

    /**
     * MQL volume and conversion if the MQL rule were "total score at least {@code threshold}".
     *
     * @param mqls           leads whose total reached it before they converted
     * @param convertedToSql of them, leads that reached SQL or later
     * @param won            of them, leads that were won
     * @param wonRecall      share of all real wins in the cohort these MQLs catch
     */
    public record ThresholdPoint(double threshold, long mqls, long convertedToSql, long won, double mqlToSqlRate,
                                 double mqlToWonRate, double wonRecall) {
    }

    /**
     * One segment's figures.
     *
     * @param segment the channel, or the month as "yyyy-MM"; empty when the lead had none
     * @param won     all leads of the segment that were won, MQL or not
     */
    public record Segment(String segment, long leads, long mqls, long mqlsConvertedToSql, long mqlsWon, long won,
                          double mqlToSqlRate, double mqlToWonRate) {
    }

    /**
     * A distribution of durations, to the millisecond.
     *
     * @param buckets counts per bucket, in order: within an hour, a day, a week, 30 days, 90 days, later
     */
    public record DurationDistribution(long count, Duration p50, Duration p90, Duration mean,
                                       List<DurationBucket> buckets) {
    }

    /**
     * Durations up to a bound.
     *
     * @param upTo the bound, such as "1d"; "later" for the last bucket
     */
    public record DurationBucket(String upTo, long count) {
    }

    /**
     * How fast the backtest read the stored events.
     *
     * @param elapsed                  wall time of the replay
     * @param eventsPerSecond          events over elapsed (reading, decoding and scoring under every model)
     * @param rawCursorEventsPerSecond a bare cursor over the same collection in the same run; 0 unless asked for
     */
    public record ReadStatistics(long events, Duration elapsed, double eventsPerSecond,
                                 double rawCursorEventsPerSecond) {
    }
}
