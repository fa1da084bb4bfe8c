package io.leadscore.bench;

import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import io.leadscore.bench.harness.ResultsLog;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Options every scenario shares: where the server jar, the scratch stores and the results file are. */
final class BenchOptions {

    @Option(names = "--server-jar", defaultValue = "scoring-server/target/scoring-server.jar",
            description = "The packaged server (default ${DEFAULT-VALUE}).")
    Path serverJar;

    @Option(names = "--work-dir", defaultValue = "${sys:java.io.tmpdir}/leadscore-bench",
            description = "Scratch stores; prepared stores are kept here and reused (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--results", defaultValue = "ops/bench/RESULTS.md",
            description = "Where each run is appended (default ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--no-record", description = "Print only; do not append to the results file.")
    boolean noRecord;

    @Option(names = "--server-heap", defaultValue = "2g", description = "The server's -Xmx (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @Option(names = "--server-profile", paramLabel = "FILE.jfr",
            description = "Record a JFR CPU profile of the server into this file (read it with: ops/bench/run profile FILE.jfr).")
    Path serverProfile;

    /** Starts the packaged server on {@code store}, profiled when asked. */
    LeadscoreProcess startServer(Path store, String heap, Duration timeout, String... serverArgs) {
        List<String> jvmOptions = serverProfile == null ? List.of()
                : List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                          + serverProfile.toAbsolutePath());
        return LeadscoreProcess.start(serverJar, store, heap, jvmOptions, timeout, serverArgs);
    }

    void record(String scenario, List<String> command, ResultTable table, String verdict) {
        table.print(System.out);
        if (!verdict.isEmpty()) {
            System.out.println(verdict);
        }
        if (!noRecord) {
            new ResultsLog(results).append(scenario, command, table, verdict);
            System.out.println("appended to " + results);
        }
    }

    /** The command line that ran a scenario, as a user would type it. */
    static List<String> command(picocli.CommandLine.Model.CommandSpec spec) {
        List<String> command = new java.util.ArrayList<>(List.of("ops/bench/run"));
        // The parse result's arguments start with the scenario's name already.
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return command;
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.3f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
