package io.leadscore.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.leadscore.bench.harness.BareScoreServer;
import io.leadscore.bench.harness.ChildJvm;
import io.leadscore.bench.harness.ClosedLoopLoad;
import io.leadscore.bench.harness.H2Load;
import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.ScoreServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Unary GetScore on random leads of a generated store, at 1, 16 and 64 calls in flight, against a bare grpc-java
 * server answering the same message from a map, loaded by the same client in the same run. The server starts with
 * {@code --rebuild-projections}, so every run measures the same state: every lead folded in memory.
 */
@Command(name = "getscore", mixinStandardHelpOptions = true,
        description = "GetScore QPS and latency against a bare grpc-java server answering from a map.")
final class GetScoreBenchmark implements Callable<Integer> {

    @Mixin
    BenchOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--leads", defaultValue = "1000000", description = "Scored leads (default ${DEFAULT-VALUE}).")
    int leads;
    @Option(names = "--in-flight", split = ",", defaultValue = "1,16,64",
            description = "Calls in flight, one load per value (default ${DEFAULT-VALUE}).")
    List<Integer> inFlight;
    @Option(names = "--warmup", defaultValue = "15", description = "Warm-up seconds per load (default ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--duration", defaultValue = "20", description = "Measured seconds per load (default ${DEFAULT-VALUE}).")
    int durationSeconds;
    @Option(names = "--h2load-streams", split = ",", defaultValue = "16,64",
            description = "With h2load on the PATH, also load both servers from it over 2 connections with this many "
                          + "streams each, one load per value (default ${DEFAULT-VALUE}; none to skip).")
    List<String> h2loadStreams;

    @Override
    public Integer call() throws Exception {
        // Registration, profile and one engagement per lead (some also an outcome): fit and engagement scores.
        Path store = PreparedStores.generated(options.workDir, leads, leads * 4L);
        List<Row> rows = new ArrayList<>();
        List<H2LoadRow> h2loadRows;
        try (LeadscoreProcess server = options.startServer(store, options.serverHeap,
                                                              Duration.ofHours(2), "--rebuild-projections",
                                                              "--cached-leads", String.valueOf(leads))) {
            GetScoreResponse template = ScoreServiceGrpc.newBlockingStub(server.channel())
                    .getScore(GetScoreRequest.newBuilder().setLeadId("gen-0").build());
            try (ChildJvm bare = ChildJvm.start("2g", BareScoreServer.class, String.valueOf(leads), "gen-",
                                                Base64.getEncoder().encodeToString(template.toByteArray()))) {
                h2loadRows = h2load(server.port(), bare.port());
                for (int calls : inFlight) {
                    ClosedLoopLoad.Result ours = load(server.channel(), calls);
                    ManagedChannel bareChannel = NettyChannelBuilder.forAddress("127.0.0.1", bare.port())
                                                                    .usePlaintext().build();
                    try {
                        rows.add(new Row(calls, ours, load(bareChannel, calls)));
                    } finally {
                        bareChannel.shutdownNow();
                    }
                }
            }
        }
        ResultTable table = new ResultTable("IN FLIGHT", "LEADSCORE CALLS/S", "P50 MS", "P99 MS", "P99.9 MS",
                                            "BARE GRPC CALLS/S", "BARE P50 MS", "BARE P99 MS", "RATIO");
        StringBuilder verdict = new StringBuilder();
        for (Row row : rows) {
            double ratio = row.ours.callsPerSecond() / row.bare.callsPerSecond();
            table.row(row.inFlight, BenchOptions.fmt(row.ours.callsPerSecond()), BenchOptions.fmt(row.ours.millisAt(50)),
                      BenchOptions.fmt(row.ours.millisAt(99)), BenchOptions.fmt(row.ours.millisAt(99.9)),
                      BenchOptions.fmt(row.bare.callsPerSecond()), BenchOptions.fmt(row.bare.millisAt(50)),
                      BenchOptions.fmt(row.bare.millisAt(99)), BenchOptions.ratio(ratio));
            if (row.inFlight == 16) {
                verdict.append(String.format(java.util.Locale.ROOT,
                        "Target at 16 in flight: ratio >= 0.60 and p99 <= 1 ms: ratio %.2f, p99 %.3f ms: %s.",
                        ratio, row.ours.millisAt(99), ratio >= 0.6 && row.ours.millisAt(99) <= 1 ? "met" : "NOT met"));
            }
        }
        ResultTable h2loadTable = new ResultTable("H2LOAD 2 CONNECTIONS X STREAMS", "LEADSCORE REQ/S", "MEAN MS",
                                                  "BARE GRPC REQ/S", "BARE MEAN MS", "RATIO");
        boolean h2loadMet = !h2loadRows.isEmpty();
        for (H2LoadRow row : h2loadRows) {
            double ratio = row.ours().requestsPerSecond() / row.bare().requestsPerSecond();
            h2loadMet &= ratio >= 0.7 && row.ours().failed() == 0;
            h2loadTable.row("2 x " + row.streams(), BenchOptions.fmt(row.ours().requestsPerSecond()),
                            BenchOptions.fmt(row.ours().meanMillis()), BenchOptions.fmt(row.bare().requestsPerSecond()),
                            BenchOptions.fmt(row.bare().meanMillis()), BenchOptions.ratio(ratio));
        }
        String h2loadVerdict = "Target with h2load: ratio >= 0.70 at every concurrency: " + (h2loadMet ? "met" : "NOT met")
                               + ".";
        if (h2loadRows.isEmpty() && !h2loadStreams.equals(List.of("none"))) {
            verdict.append(" h2load not on the PATH (apt-get install nghttp2-client): loaded by the Java client only.");
        }
        if (rows.stream().anyMatch(row -> row.ours.errors() > 0)) {
            verdict.append(" Errors during the Leadscore load: ")
                   .append(rows.stream().mapToLong(row -> row.ours.errors()).sum()).append('.');
        }
        options.record("getscore: " + String.format(java.util.Locale.ROOT, "%,d", leads) + " scored leads",
                       BenchOptions.command(spec), table, verdict.toString());
        if (!h2loadRows.isEmpty()) {
            // The same servers loaded by h2load: the Java client saturates before either server does.
            options.record("getscore from h2load: " + String.format(java.util.Locale.ROOT, "%,d", leads)
                           + " scored leads, one lead asked", BenchOptions.command(spec), h2loadTable, h2loadVerdict);
        }
        return 0;
    }

    private record Row(int inFlight, ClosedLoopLoad.Result ours, ClosedLoopLoad.Result bare) {
    }

    private record H2LoadRow(int streams, H2Load.Result ours, H2Load.Result bare) {
    }

    /** The same GetScore, framed once, from h2load against both servers, one load per streams value. */
    private List<H2LoadRow> h2load(int ourPort, int barePort) throws IOException, InterruptedException {
        List<H2LoadRow> measured = new ArrayList<>();
        if (h2loadStreams.equals(List.of("none")) || !H2Load.available()) {
            return measured;
        }
        byte[] body = H2Load.grpcFrame(GetScoreRequest.newBuilder().setLeadId("gen-0").build().toByteArray());
        String path = "/" + ScoreServiceGrpc.SERVICE_NAME + "/GetScore";
        for (String value : h2loadStreams) {
            int streams = Integer.parseInt(value);
            H2Load.Result ours = H2Load.run(ourPort, path, body, 2, streams, Duration.ofSeconds(warmupSeconds),
                                            Duration.ofSeconds(durationSeconds));
            H2Load.Result bare = H2Load.run(barePort, path, body, 2, streams, Duration.ofSeconds(warmupSeconds),
                                            Duration.ofSeconds(durationSeconds));
            measured.add(new H2LoadRow(streams, ours, bare));
        }
        return measured;
    }

    private ClosedLoopLoad.Result load(ManagedChannel channel, int calls) throws InterruptedException {
        ScoreServiceGrpc.ScoreServiceFutureStub stub = ScoreServiceGrpc.newFutureStub(channel);
        return new ClosedLoopLoad(random -> stub.getScore(
                GetScoreRequest.newBuilder().setLeadId("gen-" + random.nextInt(leads)).build()), calls)
                .run(Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds));
    }
}
