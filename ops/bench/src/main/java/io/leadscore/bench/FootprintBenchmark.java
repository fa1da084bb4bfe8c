package io.leadscore.bench;

import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import io.leadscore.v1.GetScoreRequest;
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

/**
 * Memory and start-up on a large store: the server's live heap (after a full collection) and resident memory once
 * every lead is scored, started with {@code --rebuild-projections} (every lead folded in memory, as after any
 * rebuild: the state GetScore is fastest in) and restarted without (persisted rows loaded; a lead is folded from the
 * store when it is first read).
 */
@Command(name = "footprint", mixinStandardHelpOptions = true,
        description = "Heap, RSS and start-up time to SERVING on a large generated store.")
final class FootprintBenchmark implements Callable<Integer> {

    private static final double GIB = 1024.0 * 1024 * 1024;

    @Mixin
    BenchOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--leads", defaultValue = "1000000", description = "Generated leads (default ${DEFAULT-VALUE}).")
    int leads;
    @Option(names = "--events", defaultValue = "10000000", description = "Generated events, about (default ${DEFAULT-VALUE}).")
    long events;
    @Option(names = "--reads", defaultValue = "20000",
            description = "GetScore calls on random leads before measuring, so read caches are in use (default ${DEFAULT-VALUE}).")
    int reads;

    @Override
    public Integer call() {
        Path store = PreparedStores.generated(options.workDir, leads, events);
        ResultTable table = new ResultTable("START", "TO SERVING S", "LIVE HEAP GIB", "RSS GIB", "SERVER -Xmx");
        double worstHeap = 0;
        for (boolean rebuild : new boolean[] {true, false}) {
            String start = rebuild ? "--rebuild-projections (all leads folded)" : "restart (persisted rows)";
            try (LeadscoreProcess server = options.startServer(store, options.serverHeap,
                                                                  Duration.ofHours(4), rebuild
                                                                          ? new String[] {"--rebuild-projections",
                                                                                          "--cached-leads",
                                                                                          String.valueOf(leads)}
                                                                          : new String[] {"--cached-leads",
                                                                                          String.valueOf(leads)})) {
                ScoreServiceGrpc.ScoreServiceBlockingStub scores = ScoreServiceGrpc.newBlockingStub(server.channel());
                SplittableRandom random = new SplittableRandom(7);
                for (int i = 0; i < reads; i++) {
                    scores.getScore(GetScoreRequest.newBuilder().setLeadId("gen-" + random.nextInt(leads)).build());
                }
                double heap = server.liveHeapBytes() / GIB;
                worstHeap = Math.max(worstHeap, heap);
                table.row(start, String.format(Locale.ROOT, "%.1f", server.startUp().toMillis() / 1000.0),
                          String.format(Locale.ROOT, "%.2f", heap),
                          String.format(Locale.ROOT, "%.2f", server.residentBytes() / GIB), options.serverHeap);
            }
        }
        options.record(String.format(Locale.ROOT, "footprint: %,d leads, %,d events", leads, events),
                       BenchOptions.command(spec), table,
                       String.format(Locale.ROOT, "Target: %,d leads in <= 2 GiB of heap: %.2f GiB: %s.", leads,
                                     worstHeap, worstHeap <= 2 ? "met" : "NOT met"));
        return 0;
    }
}
