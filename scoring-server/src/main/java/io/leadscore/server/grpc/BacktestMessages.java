package io.leadscore.server.grpc;

import io.leadscore.server.backtest.BacktestResult;
import io.leadscore.v1.BacktestReport;
import io.leadscore.v1.Classification;
import io.leadscore.v1.DurationBucket;
import io.leadscore.v1.DurationDistribution;
import io.leadscore.v1.ModelBacktest;
import io.leadscore.v1.ReadStatistics;
import io.leadscore.v1.SegmentBacktest;
import io.leadscore.v1.ThresholdPoint;

/** Maps a backtest's result to the {@code leadscore.v1.BacktestService} messages. No logic beyond the mapping. */
final class BacktestMessages {

    private BacktestMessages() {
    }

    static BacktestReport toProto(BacktestResult result) {
        BacktestReport.Builder report = BacktestReport.newBuilder()
                .setFrom(ProtoTime.toTimestamp(result.from()))
                .setTo(ProtoTime.toTimestamp(result.to()))
                .setAucLeads(result.aucLeads())
                .setCohortLeads(result.cohortLeads())
                .setActualSqls(result.actualSqls())
                .setActualWon(result.actualWon())
                .setRead(toProto(result.read()));
        if (result.scoreCutoff() != null) {
            report.setScoreCutoff(ProtoTime.toTimestamp(result.scoreCutoff()));
        }
        if (result.scoreHorizon() != null) {
            report.setScoreHorizon(ProtoTime.toDuration(result.scoreHorizon()));
        }
        result.models().forEach(model -> report.addModels(toProto(model)));
        return report.build();
    }

    private static ModelBacktest toProto(BacktestResult.ModelResult model) {
        ModelBacktest.Builder builder = ModelBacktest.newBuilder()
                .setModelVersion(model.modelVersion())
                .setActive(model.active())
                .setMqls(model.mqls())
                .setMqlsConvertedToSql(model.mqlsConvertedToSql())
                .setMqlsWon(model.mqlsWon())
                .setMqlToSqlRate(model.mqlToSqlRate())
                .setMqlToWonRate(model.mqlToWonRate())
                .setSqlPrediction(toProto(model.sqlPrediction()))
                .setWonPrediction(toProto(model.wonPrediction()))
                .setAucSql(model.aucSql())
                .setAucWon(model.aucWon())
                .setLiftOverBase(model.liftOverBase())
                .setLiftOverActive(model.liftOverActive())
                .setTimeToMql(toProto(model.timeToMql()));
        model.thresholdSweep().forEach(point -> builder.addThresholdSweep(toProto(point)));
        model.byChannel().forEach(segment -> builder.addByChannel(toProto(segment)));
        model.byMonth().forEach(segment -> builder.addByMonth(toProto(segment)));
        return builder.build();
    }

    private static Classification toProto(BacktestResult.Classification classification) {
        return Classification.newBuilder()
                .setTruePositives(classification.truePositives())
                .setFalsePositives(classification.falsePositives())
                .setFalseNegatives(classification.falseNegatives())
                .setTrueNegatives(classification.trueNegatives())
                .setPrecision(classification.precision())
                .setRecall(classification.recall())
                .setF1(classification.f1())
                .build();
    }

    private static DurationDistribution toProto(BacktestResult.DurationDistribution distribution) {
        DurationDistribution.Builder builder = DurationDistribution.newBuilder()
                .setCount(distribution.count())
                .setP50(ProtoTime.toDuration(distribution.p50()))
                .setP90(ProtoTime.toDuration(distribution.p90()))
                .setMean(ProtoTime.toDuration(distribution.mean()));
        distribution.buckets().forEach(bucket -> builder.addBuckets(
                DurationBucket.newBuilder().setUpTo(bucket.upTo()).setCount(bucket.count())));
        return builder.build();
    }

    private static ThresholdPoint toProto(BacktestResult.ThresholdPoint point) {
        return ThresholdPoint.newBuilder()
                .setThreshold(point.threshold())
                .setMqls(point.mqls())
                .setConvertedToSql(point.convertedToSql())
                .setWon(point.won())
                .setMqlToSqlRate(point.mqlToSqlRate())
                .setMqlToWonRate(point.mqlToWonRate())
                .setWonRecall(point.wonRecall())
                .build();
    }

    private static SegmentBacktest toProto(BacktestResult.Segment segment) {
        return SegmentBacktest.newBuilder()
                .setSegment(segment.segment())
                .setLeads(segment.leads())
                .setMqls(segment.mqls())
                .setMqlsConvertedToSql(segment.mqlsConvertedToSql())
                .setMqlsWon(segment.mqlsWon())
                .setWon(segment.won())
                .setMqlToSqlRate(segment.mqlToSqlRate())
                .setMqlToWonRate(segment.mqlToWonRate())
                .build();
    }

    private static ReadStatistics toProto(BacktestResult.ReadStatistics read) {
        return ReadStatistics.newBuilder()
                .setEvents(read.events())
                .setElapsed(ProtoTime.toDuration(read.elapsed()))
                .setEventsPerSecond(read.eventsPerSecond())
                .setRawCursorEventsPerSecond(read.rawCursorEventsPerSecond())
                .build();
    }
}
