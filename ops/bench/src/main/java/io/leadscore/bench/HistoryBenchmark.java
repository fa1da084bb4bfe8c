package io.leadscore.bench;

import com.google.protobuf.Timestamp;
import io.leadscore.bench.harness.ClosedLoopLoad;
import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a lead's history costs each new event: leads with 0, 10,000 and 100,000 prior engagements (written straight
 * into the store) take new engagements through RecordEngagement, one lead at a time, and the per-event cost of the
 * commands (events/s and acknowledgement latency) and of the projection (how long after the last acknowledgement
 * GetScore shows it) is compared with the fresh lead's, measured in the same run. GetScore and ExplainScore (as of
 * now) are timed on each lead afterwards.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Per-event cost of commands and projection on leads with long histories against a fresh lead.")
final class HistoryBenchmark implements java.util.concurrent.Callable<Integer> {

    private static final String[] TYPES = {"page_view", "email_opened", "email_clicked", "content_download",
                                           "video_watched", "webinar_registered", "form_submitted"};

    @Mixin
    BenchOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--prior", split = ",", defaultValue = "10000,100000",
            description = "Prior engagements of each heavy lead (default ${DEFAULT-VALUE}); a fresh lead is always measured.")
    List<Integer> prior;
    @Option(names = "--in-flight", defaultValue = "4", description = "RecordEngagement calls in flight on one lead (default ${DEFAULT-VALUE}).")
    int inFlight;
    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per lead (default ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per lead (default ${DEFAULT-VALUE}).")
    int durationSeconds;
    @Option(names = "--reads", defaultValue = "50", description = "GetScore and ExplainScore calls timed per lead (default ${DEFAULT-VALUE}).")
    int reads;

    /** New engagements follow the prepared ones, a millisecond apart, all in the past. */
    private final Instant historyEnd = Instant.now().minus(Duration.ofDays(2));
    private final AtomicLong nextEvent = new AtomicLong();

    private record Measured(String lead, int prior, ClosedLoopLoad.Result load, double projectionMillis,
                            double getScoreMillis, double explainMillis) {
    }

    @Override
    public Integer call() throws Exception {
        Path store = PreparedStores.fresh(options.workDir, "history");
        Map<String, Integer> leads = new LinkedHashMap<>();
        // A lead measured first and not reported: the JIT warms up on it, not on the fresh lead compared with.
        leads.put("history-warmup", 0);
        leads.put("history-fresh", 0);
        for (int size : prior) {
            leads.put("history-" + size, size);
        }
        HistoryGenerator.heavyLeads(store, leads, historyEnd);
        List<Measured> results = new ArrayList<>();
        try (LeadscoreProcess server = options.startServer(store, options.serverHeap, Duration.ofMinutes(10))) {
            LeadServiceGrpc.LeadServiceFutureStub commands = LeadServiceGrpc.newFutureStub(server.channel());
            ScoreServiceGrpc.ScoreServiceBlockingStub scores = ScoreServiceGrpc.newBlockingStub(server.channel());
            for (Map.Entry<String, Integer> lead : leads.entrySet()) {
                String leadId = lead.getKey();
                long before = versionOf(scores, leadId, lead.getValue(), Duration.ofMinutes(5));
                AtomicLong sent = new AtomicLong();
                ClosedLoopLoad.Result load = new ClosedLoopLoad(random -> {
                    sent.incrementAndGet();
                    return commands.recordEngagement(RecordEngagementRequest.newBuilder()
                                                             .setEngagement(engagement(leadId, random)).build());
                }, inFlight).run(Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds));
                long acknowledgedAt = System.nanoTime();
                versionOf(scores, leadId, before + sent.get(), Duration.ofMinutes(5));
                double projectionMillis = (System.nanoTime() - acknowledgedAt) / 1e6;
                results.add(new Measured(leadId, lead.getValue(), load, projectionMillis,
                                         p50(() -> scores.getScore(GetScoreRequest.newBuilder().setLeadId(leadId)
                                                                                  .build())),
                                         p50(() -> scores.explainScore(ExplainScoreRequest.newBuilder()
                                                                                          .setLeadId(leadId).build()))));
            }
        }

        results.remove(0);
        Measured fresh = results.get(0);
        ResultTable table = new ResultTable("LEAD", "PRIOR ENGAGEMENTS", "EVENTS/S", "P50 ACK MS", "P99 ACK MS",
                                            "COST VS FRESH", "PROJECTION BEHIND MS", "GETSCORE P50 MS",
                                            "EXPLAIN P50 MS");
        boolean flat = true;
        boolean readsFast = true;
        for (Measured lead : results) {
            double costRatio = fresh.load().callsPerSecond() / lead.load().callsPerSecond();
            flat &= costRatio <= 1.5;
            readsFast &= lead.getScoreMillis() <= 50 && lead.explainMillis() <= 50;
            table.row(lead.lead(), String.format(Locale.ROOT, "%,d", lead.prior()),
                      BenchOptions.fmt(lead.load().callsPerSecond()), BenchOptions.fmt(lead.load().millisAt(50)),
                      BenchOptions.fmt(lead.load().millisAt(99)), BenchOptions.ratio(costRatio),
                      BenchOptions.fmt(lead.projectionMillis()), BenchOptions.fmt(lead.getScoreMillis()),
                      BenchOptions.fmt(lead.explainMillis()));
        }
        String verdict = String.format(Locale.ROOT,
                "Target: per-event cost within 1.5x of a fresh lead's at every history size: %s. "
                + "Target: GetScore and ExplainScore within 50 ms on every lead: %s.",
                flat ? "met" : "NOT met", readsFast ? "met" : "NOT met");
        options.record("history: embedded store, " + inFlight + " in flight per lead", BenchOptions.command(spec),
                       table, verdict);
        return 0;
    }

    /** Waits until GetScore shows the lead at {@code version} or later; answers the version it shows. */
    private static long versionOf(ScoreServiceGrpc.ScoreServiceBlockingStub scores, String leadId, long version,
                                  Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                long shown = scores.getScore(GetScoreRequest.newBuilder().setLeadId(leadId).build()).getScore()
                                   .getVersion();
                if (shown >= version) {
                    return shown;
                }
            } catch (io.grpc.StatusRuntimeException notYet) {
                // NOT_FOUND until the projection has the lead
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(leadId + " did not reach version " + version + " in " + patience);
            }
            Thread.sleep(1);
        }
    }

    private double p50(Runnable call) {
        Histogram histogram = new Histogram(3);
        for (int i = 0; i < reads; i++) {
            long started = System.nanoTime();
            call.run();
            histogram.recordValue(System.nanoTime() - started);
        }
        return histogram.getValueAtPercentile(50) / 1e6;
    }

    private Engagement engagement(String leadId, java.util.SplittableRandom random) {
        long n = nextEvent.getAndIncrement();
        Instant at = historyEnd.plusMillis(n);
        return Engagement.newBuilder().setEventId("new-" + n).setLeadId(leadId)
                         .setType(TYPES[random.nextInt(TYPES.length)])
                         .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                         .putAttributes("page_category", random.nextInt(10) == 0 ? "pricing" : "blog").build();
    }
}
