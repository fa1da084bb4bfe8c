package io.leadscore.client.cli;

import io.leadscore.client.LeadscoreClient;
import io.leadscore.client.Timestamps;
import io.leadscore.v1.BacktestReport;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.ModelBacktest;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.SegmentBacktest;
import io.leadscore.v1.ThresholdPoint;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** {@code leadscore backtest}: what candidate models would have done on the stored history. */
@Command(name = "backtest", description = "Replay stored history through candidate models and compare them with "
                                          + "the active model against real outcomes.")
final class BacktestCommand extends LeadscoreSubcommand {

    /** A backtest replays the stored history: it takes far longer than the usual call. */
    static final Duration USUAL_TIMEOUT = Duration.ofMinutes(30);

    // --version names a model version here, so picocli cannot mix the standard --help/--version in: --help alone.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
    @Option(names = "--model", converter = InputFiles.ExistingFile.class,
            description = "A model file (YAML) to test; repeatable.")
    List<Path> modelFiles = new ArrayList<>();
    @Option(names = "--version", description = "A stored model version (draft or published) to test, as id@version; "
                                               + "repeatable.")
    List<String> versions = new ArrayList<>();
    @Option(names = "--from", converter = TimeConverter.class, description = "Leads registered from (date or instant).")
    Instant from;
    @Option(names = "--to", converter = TimeConverter.class, description = "... and before (default: now).")
    Instant to;
    @Option(names = "--cutoff", converter = TimeConverter.class,
            description = "One time at which scores for the AUC are read (default: each lead --horizon after its "
                          + "registration).")
    Instant cutoff;
    @Option(names = "--horizon", defaultValue = "7d",
            description = "Age at which each lead's score is read for the AUC, such as 1d or 12h (default "
                          + "${DEFAULT-VALUE}).")
    String horizon;
    @Option(names = "--threshold", description = "Total-score thresholds to sweep; repeatable (default: automatic).")
    List<Double> thresholds = new ArrayList<>();
    @Option(names = "--compare-raw-cursor", description = "Also time a raw cursor over the event collection.")
    boolean compareRawCursor;
    @Option(names = "--timeout", converter = LeadscoreCli.DurationConverter.class,
            description = "Give up after, such as 45m (default: --deadline if given, else 30m).")
    Duration timeout;

    @Override
    public Integer call() {
        return run((client, out) -> {
            RunBacktestRequest.Builder request = RunBacktestRequest.newBuilder()
                    .addAllThresholds(thresholds).setCompareRawCursor(compareRawCursor);
            for (Path file : modelFiles) {
                request.addCandidates(CandidateModel.newBuilder()
                                                    .setDocument(Files.readString(file, StandardCharsets.UTF_8)));
            }
            versions.forEach(v -> request.addCandidates(CandidateModel.newBuilder().setModelVersion(v)));
            if (from != null) {
                request.setFrom(Timestamps.of(from));
            }
            if (to != null) {
                request.setTo(Timestamps.of(to));
            }
            if (cutoff != null) {
                request.setScoreCutoff(Timestamps.of(cutoff));
            }
            request.setScoreHorizon(com.google.protobuf.Duration.newBuilder()
                                                                .setSeconds(parseAge(horizon).toSeconds()));
            BacktestReport report = run(client, request.build());
            if (cli.json) {
                Output.json(out, report);
            } else {
                print(out, report);
            }
        });
    }

    private BacktestReport run(LeadscoreClient client, RunBacktestRequest request) {
        try (ProgressBar progress = new ProgressBarBuilder().setTaskName("backtest").setInitialMax(1)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" events", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build()) {
            BacktestReport report = client.withDeadline(cli.longCallDeadline(timeout, USUAL_TIMEOUT))
                                          .runBacktest(request, read -> {
                                              progress.maxHint(read.getEventsTotal());
                                              progress.stepTo(read.getEventsRead());
                                          });
            progress.maxHint(report.getRead().getEvents());
            progress.stepTo(report.getRead().getEvents());
            return report;
        }
    }

    /** An age such as 7d, 12h or 30m. */
    private static Duration parseAge(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith("d")) {
            return Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        if (value.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        return LeadscoreCli.parseDuration(text);
    }

    static void print(PrintWriter out, BacktestReport report) {
        out.printf(Locale.ROOT, "Backtest of leads registered %s .. %s: %d leads, %d reached SQL (%s), %d won (%s)%n",
                   Output.instant(report.getFrom()), Output.instant(report.getTo()), report.getCohortLeads(),
                   report.getActualSqls(), percent(report.getActualSqls(), report.getCohortLeads()),
                   report.getActualWon(), percent(report.getActualWon(), report.getCohortLeads()));
        out.println();
        Table models = new Table("MODEL", "MQLS", "MQL>SQL", "MQL>WON", "PRECISION", "RECALL", "F1", "AUC SQL",
                                 "AUC WON", "LIFT/BASE", "LIFT/ACTIVE", "TTM P50", "TTM P90");
        for (ModelBacktest model : report.getModelsList()) {
            models.row(name(model), model.getMqls(), percent(model.getMqlToSqlRate()),
                       percent(model.getMqlToWonRate()), decimal(model.getWonPrediction().getPrecision()),
                       decimal(model.getWonPrediction().getRecall()), decimal(model.getWonPrediction().getF1()),
                       decimal(model.getAucSql()), decimal(model.getAucWon()), decimal(model.getLiftOverBase()),
                       decimal(model.getLiftOverActive()), duration(model.getTimeToMql().getP50()),
                       duration(model.getTimeToMql().getP90()));
        }
        models.print(out);
        out.printf(Locale.ROOT, "(precision, recall and F1 of MQL predicting a win; TTM = time from registration to MQL;"
                                + " AUC over %d leads not converted by %s)%n", report.getAucLeads(),
                   report.hasScoreCutoff() ? Output.instant(report.getScoreCutoff())
                                           : duration(report.getScoreHorizon()) + " after registration");
        for (ModelBacktest model : report.getModelsList()) {
            out.println();
            out.println("Threshold sweep, " + name(model) + ":");
            Table sweep = new Table("TOTAL >=", "MQLS", "SQL", "WON", "MQL>SQL", "MQL>WON", "WINS CAUGHT");
            for (ThresholdPoint point : model.getThresholdSweepList()) {
                sweep.row(Output.number(point.getThreshold()), point.getMqls(), point.getConvertedToSql(),
                          point.getWon(), percent(point.getMqlToSqlRate()), percent(point.getMqlToWonRate()),
                          percent(point.getWonRecall()));
            }
            sweep.print(out);
        }
        segments(out, "By channel", report, ModelBacktest::getByChannelList);
        segments(out, "By month of registration", report, ModelBacktest::getByMonthList);
        out.println();
        out.printf(Locale.ROOT, "Read %d events in %s: %.0f events/s%s%n", report.getRead().getEvents(),
                   duration(report.getRead().getElapsed()), report.getRead().getEventsPerSecond(),
                   report.getRead().getRawCursorEventsPerSecond() == 0 ? ""
                           : String.format(Locale.ROOT, " (raw cursor: %.0f events/s, ratio %.2f)",
                                           report.getRead().getRawCursorEventsPerSecond(),
                                           report.getRead().getEventsPerSecond()
                                           / report.getRead().getRawCursorEventsPerSecond()));
        out.flush();
    }

    private static void segments(PrintWriter out, String title, BacktestReport report,
                                 java.util.function.Function<ModelBacktest, List<SegmentBacktest>> segments) {
        List<String> headers = new ArrayList<>(List.of("SEGMENT", "LEADS", "WON"));
        Map<String, List<String>> rows = new TreeMap<>();
        for (ModelBacktest model : report.getModelsList()) {
            headers.add(name(model) + " MQLS");
            headers.add("MQL>WON");
            for (SegmentBacktest segment : segments.apply(model)) {
                List<String> row = rows.computeIfAbsent(segment.getSegment(), k -> new ArrayList<>(List.of(
                        k.isEmpty() ? "(none)" : k, String.valueOf(segment.getLeads()),
                        String.valueOf(segment.getWon()))));
                row.add(String.valueOf(segment.getMqls()));
                row.add(percent(segment.getMqlToWonRate()));
            }
        }
        out.println();
        out.println(title + ":");
        Table table = new Table(headers.toArray(String[]::new));
        rows.values().forEach(row -> table.row(row.toArray()));
        table.print(out);
    }

    private static String name(ModelBacktest model) {
        return model.getModelVersion() + (model.getActive() ? " (active)" : "");
    }

    static String percent(long part, long whole) {
        return percent(whole == 0 ? 0 : (double) part / whole);
    }

    static String percent(double rate) {
        return String.format(Locale.ROOT, "%.2f %%", rate * 100);
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String duration(com.google.protobuf.Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds == 0 && duration.getNanos() > 0) {
            return String.format(Locale.ROOT, "%.1fs", duration.getNanos() / 1e9);
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return (seconds / 60) + "m";
        }
        if (seconds < 172_800) {
            return (seconds / 3600) + "h";
        }
        return (seconds / 86_400) + "d";
    }
}
