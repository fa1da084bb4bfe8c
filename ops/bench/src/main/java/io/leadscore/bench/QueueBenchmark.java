package io.leadscore.bench;

import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadOrder;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.ListLeadsResponse;
import io.leadscore.v1.ScoreServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * ListLeads on a large generated store, restarted as configured by default (rows loaded, folds read from the
 * store on first use): every queue ranks by the score as of the call, and the leads it returns must equal what
 * BatchGetScores answers for them at that moment. The baseline in the same run is BatchGetScores of the same page
 * of leads: what scoring those leads alone costs.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "ListLeads latency by score, stage, band and recency, checked against BatchGetScores.")
final class QueueBenchmark implements Callable<Integer> {

    @Mixin
    BenchOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--leads", defaultValue = "1000000", description = "Generated leads (default ${DEFAULT-VALUE}).")
    int leads;
    @Option(names = "--events", defaultValue = "4000000", description = "Generated events, about (default ${DEFAULT-VALUE}).")
    long events;
    @Option(names = "--runs", defaultValue = "3", description = "Timed calls per query (default ${DEFAULT-VALUE}).")
    int runs;
    @Option(names = "--page-size", defaultValue = "50", description = "Leads per page (default ${DEFAULT-VALUE}).")
    int pageSize;

    /** One queue to time. */
    private record Query(String name, ListLeadsRequest request, int page) {
    }

    @Override
    public Integer call() throws Exception {
        Path store = PreparedStores.generated(options.workDir, leads, events);
        ResultTable table = new ResultTable("QUERY", "MATCHING", "RUNS MS", "BEST MS", "BATCHGETSCORES MS",
                                            "EQUAL TO BATCHGETSCORES");
        boolean allEqual = true;
        // A first start rebuilds the projection rows; the measured one loads them, as any restart does.
        try (LeadscoreProcess warm = options.startServer(store, options.serverHeap, Duration.ofHours(2),
                                                         "--rebuild-projections")) {
            ScoreServiceGrpc.newBlockingStub(warm.channel()).listLeads(request().setPageSize(1).build());
        }
        try (LeadscoreProcess server = options.startServer(store, options.serverHeap, Duration.ofHours(2))) {
            ScoreServiceGrpc.ScoreServiceBlockingStub scores = ScoreServiceGrpc.newBlockingStub(server.channel())
                    .withDeadlineAfter(10, java.util.concurrent.TimeUnit.MINUTES);
            // Filters by the band and stage the top lead has, so that they match a real share of the store.
            LeadScore top = scores.listLeads(request().setPageSize(1).build()).getLeads(0);
            List<Query> queries = List.of(
                    new Query("by score, page 1", request().build(), 1),
                    new Query("by score, page 10", request().build(), 10),
                    new Query("stage " + top.getStage().name().replace("LEAD_STAGE_", "") + " by score, page 1",
                              request().addStages(top.getStage()).build(), 1),
                    new Query("band " + top.getMatrix() + ", page 1", request().setBand(top.getMatrix()).build(), 1),
                    new Query("by recency, page 1", request().setOrder(LeadOrder.LEAD_ORDER_RECENCY).build(), 1));
            for (Query query : queries) {
                double[] millis = new double[runs];
                ListLeadsResponse page = null;
                for (int run = 0; run < runs; run++) {
                    String token = tokenOf(scores, query);
                    ListLeadsRequest request = query.request().toBuilder().setPageToken(token).build();
                    long started = System.nanoTime();
                    page = scores.listLeads(request);
                    millis[run] = (System.nanoTime() - started) / 1e6;
                }
                List<String> ids = page.getLeadsList().stream().map(LeadScore::getLeadId).toList();
                long started = System.nanoTime();
                List<LeadScore> now = ids.isEmpty() ? List.of()
                        : scores.batchGetScores(BatchGetScoresRequest.newBuilder().addAllLeadIds(ids).build())
                                .getScoresList();
                double batchMillis = (System.nanoTime() - started) / 1e6;
                boolean equal = equalScores(page.getLeadsList(), now);
                allEqual &= equal;
                table.row(query.name(), String.format(Locale.ROOT, "%,d", page.getTotalCount()),
                          joined(millis), BenchOptions.fmt(Arrays.stream(millis).min().orElse(0)),
                          BenchOptions.fmt(batchMillis), equal ? "yes" : "NO");
            }
        }
        options.record(String.format(Locale.ROOT, "queue: %,d leads, %,d events", leads, events),
                       BenchOptions.command(spec), table,
                       "Target: every queue's order, score and band equal GetScore at the time of the call: "
                       + (allEqual ? "met" : "NOT met") + ". Page " + pageSize + " leads.");
        return allEqual ? 0 : 1;
    }

    private ListLeadsRequest.Builder request() {
        return ListLeadsRequest.newBuilder().setPageSize(pageSize);
    }

    /** The token of the query's page (walked from the first page, untimed). */
    private static String tokenOf(ScoreServiceGrpc.ScoreServiceBlockingStub scores, Query query) {
        String token = "";
        for (int page = 1; page < query.page(); page++) {
            token = scores.listLeads(query.request().toBuilder().setPageToken(token).build()).getNextPageToken();
        }
        return token;
    }

    /**
     * The page's scores against BatchGetScores a moment later: the same leads, the same bands, totals within the
     * decay of the milliseconds between the two calls.
     */
    private static boolean equalScores(List<LeadScore> queued, List<LeadScore> now) {
        if (queued.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < queued.size(); i++) {
            LeadScore a = queued.get(i);
            LeadScore b = now.get(i);
            if (!a.getLeadId().equals(b.getLeadId()) || !a.getMatrix().equals(b.getMatrix())
                || Math.abs(a.getTotalScore() - b.getTotalScore()) > 1e-3 * Math.max(1, Math.abs(a.getTotalScore()))) {
                return false;
            }
        }
        return true;
    }

    private static String joined(double[] millis) {
        List<String> parts = new ArrayList<>();
        for (double value : millis) {
            parts.add(BenchOptions.fmt(value));
        }
        return String.join(" / ", parts);
    }
}
