package io.leadscore.bench;

import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.ReadStatistics;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.RunBacktestResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays over a generated history of a million events or more: the score projection rebuilt from scratch
 * ({@code --rebuild-projections}, timed by the server's own SERVING line) and a backtest of the default model, each
 * against a raw driver cursor over the same collection timed in the same run.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Projection rebuild and backtest speed against a raw cursor over the same events.")
final class ReplayBenchmark implements Callable<Integer> {

    private static final Pattern SERVING = Pattern.compile(
            "SERVING: score projection caught up, (\\d+) events applied in ([0-9.]+) s");

    @Mixin
    BenchOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--leads", defaultValue = "100000", description = "Generated leads (default ${DEFAULT-VALUE}).")
    int leads;
    @Option(names = "--events", defaultValue = "1200000", description = "Generated events, about (default ${DEFAULT-VALUE}).")
    long events;
    @Option(names = "--backtest-heap", defaultValue = "6g", description = "The server's -Xmx here (default ${DEFAULT-VALUE}).")
    String backtestHeap;

    @Override
    public Integer call() throws Exception {
        Path store = PreparedStores.generated(options.workDir, leads, events);
        double rebuildPerSecond;
        long rebuilt;
        ReadStatistics backtest;
        // A backtest holds every lead's fold under two models at once: more heap than serving does.
        try (LeadscoreProcess server = options.startServer(store, backtestHeap,
                                                              Duration.ofHours(3), "--rebuild-projections")) {
            Matcher serving = servingLine(store);
            rebuilt = Long.parseLong(serving.group(1));
            rebuildPerSecond = rebuilt / Double.parseDouble(serving.group(2));
            backtest = backtest(server);
        }
        double raw = backtest.getRawCursorEventsPerSecond();
        ResultTable table = new ResultTable("REPLAY", "EVENTS", "EVENTS/S", "RAW CURSOR EVENTS/S", "RATIO")
                .row("score projection rebuild", String.format(Locale.ROOT, "%,d", rebuilt),
                     BenchOptions.fmt(rebuildPerSecond), BenchOptions.fmt(raw),
                     BenchOptions.ratio(rebuildPerSecond / raw))
                .row("backtest, default model", String.format(Locale.ROOT, "%,d", backtest.getEvents()),
                     BenchOptions.fmt(backtest.getEventsPerSecond()), BenchOptions.fmt(raw),
                     BenchOptions.ratio(backtest.getEventsPerSecond() / raw));
        double worst = Math.min(rebuildPerSecond, backtest.getEventsPerSecond()) / raw;
        options.record("replay: " + String.format(Locale.ROOT, "%,d", leads) + " leads", BenchOptions.command(spec),
                       table, String.format(Locale.ROOT, "Target: replay >= 0.50 of the raw cursor: %.2f: %s.",
                                            worst, worst >= 0.5 ? "met" : "NOT met"));
        return 0;
    }

    /** The server logs how many events its projection applied and how long that took, once SERVING. */
    private static Matcher servingLine(Path store) throws IOException {
        Path log = store.resolveSibling(store.getFileName() + "-server.log");
        for (String line : Files.readAllLines(log)) {
            Matcher matcher = SERVING.matcher(line);
            if (matcher.find()) {
                return matcher;
            }
        }
        throw new IllegalStateException("no SERVING line in " + log);
    }

    private static ReadStatistics backtest(LeadscoreProcess server) {
        Iterator<RunBacktestResponse> responses = BacktestServiceGrpc.newBlockingStub(server.channel())
                .withDeadlineAfter(1, TimeUnit.HOURS)
                .runBacktest(RunBacktestRequest.newBuilder()
                        .addCandidates(CandidateModel.newBuilder().setModelVersion("default@1"))
                        .setCompareRawCursor(true).build());
        while (responses.hasNext()) {
            RunBacktestResponse response = responses.next();
            if (response.hasReport()) {
                return response.getReport().getRead();
            }
        }
        throw new IllegalStateException("the backtest ended without a report");
    }
}
