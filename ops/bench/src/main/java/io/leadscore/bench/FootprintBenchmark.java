package io.leadscore.bench;

import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.ScoreServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Memory and start-up on a large store: the server's live heap (after a full collection) and resident memory once
 * every lead is scored. Started with {@code --rebuild-projections} and a fold cache as large as the store (every
 * lead's history folded in memory, as after any rebuild: the state GetScore is fastest in), then restarted as
 * configured by default (persisted rows loaded; a lead is folded from the store when it is first read, up to the
 * default {@code --cached-leads}), after GetScore has read more distinct leads than that cache holds.
 */
@Command(name = "footprint", mixinStandardHelpOptions = true,
        description = "Heap, RSS and start-up time to SERVING on a large generated store.")
final class FootprintBenchmark implements Callable<Integer> {

    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final int READS_IN_FLIGHT = 16;

    @Mixin
    BenchOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--leads", defaultValue = "1000000", description = "Generated leads (default ${DEFAULT-VALUE}).")
    int leads;
    @Option(names = "--events", defaultValue = "10000000", description = "Generated events, about (default ${DEFAULT-VALUE}).")
    long events;
    @Option(names = "--reads", defaultValue = "150000",
            description = "GetScore calls on random leads before measuring, more than the server's default fold cache"
                          + " of 100,000 leads, so it is full (default ${DEFAULT-VALUE}).")
    int reads;

    @Override
    public Integer call() throws InterruptedException {
        Path store = PreparedStores.generated(options.workDir, leads, events);
        ResultTable table = new ResultTable("START", "TO SERVING S", "LIVE HEAP GIB", "RSS GIB", "SERVER -Xmx");
        double[] heaps = new double[2];
        String[][] starts = {{"--rebuild-projections", "--cached-leads", String.valueOf(leads)}, {}};
        String[] names = {"--rebuild-projections, every lead folded", "restart, defaults (rows + folds read)"};
        for (int run = 0; run < 2; run++) {
            try (LeadscoreProcess server = options.startServer(store, options.serverHeap, Duration.ofHours(4),
                                                               starts[run])) {
                readRandomLeads(server);
                heaps[run] = server.liveHeapBytes() / GIB;
                table.row(names[run], String.format(Locale.ROOT, "%.1f", server.startUp().toMillis() / 1000.0),
                          String.format(Locale.ROOT, "%.2f", heaps[run]),
                          String.format(Locale.ROOT, "%.2f", server.residentBytes() / GIB), options.serverHeap);
            }
        }
        options.record(String.format(Locale.ROOT, "footprint: %,d leads, %,d events", leads, events),
                       BenchOptions.command(spec), table,
                       String.format(Locale.ROOT, "Target: %,d leads in <= 2 GiB of heap: as configured by default"
                                                  + " %.2f GiB: %s; with every lead folded %.2f GiB: %s.", leads,
                                     heaps[1], heaps[1] <= 2 ? "met" : "NOT met", heaps[0],
                                     heaps[0] <= 2 ? "met" : "NOT met"));
        return 0;
    }

    /** GetScore on random leads, {@value #READS_IN_FLIGHT} at a time; every call must succeed. */
    private void readRandomLeads(LeadscoreProcess server) throws InterruptedException {
        ScoreServiceGrpc.ScoreServiceFutureStub scores = ScoreServiceGrpc.newFutureStub(server.channel());
        SplittableRandom random = new SplittableRandom(7);
        Semaphore inFlight = new Semaphore(READS_IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < reads && failure.get() == null; i++) {
            inFlight.acquire();
            Futures.addCallback(scores.getScore(GetScoreRequest.newBuilder()
                                                        .setLeadId("gen-" + random.nextInt(leads)).build()),
                                new FutureCallback<>() {
                                    @Override
                                    public void onSuccess(GetScoreResponse response) {
                                        inFlight.release();
                                    }

                                    @Override
                                    public void onFailure(Throwable error) {
                                        failure.compareAndSet(null, error);
                                        inFlight.release();
                                    }
                                }, MoreExecutors.directExecutor());
        }
        inFlight.acquire(READS_IN_FLIGHT);
        if (failure.get() != null) {
            throw new IllegalStateException("GetScore failed", failure.get());
        }
    }
}
