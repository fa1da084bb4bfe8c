package io.leadscore.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ops/bench/run SCENARIO}: each scenario measures Leadscore and, in the same run, the limit it is held to,
 * prints a table with the ratio and appends the run to {@code ops/bench/RESULTS.md}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Leadscore benchmarks, each against a baseline measured in the same run.",
        subcommands = {GetScoreBenchmark.class, IngestBenchmark.class, HistoryBenchmark.class, ReplayBenchmark.class,
                       FreshnessBenchmark.class, FootprintBenchmark.class, QueueBenchmark.class, ProfileSummary.class})
public final class Bench {

    public static void main(String[] args) {
        System.setProperty("disable-axoniq-console-message", "true");
        System.exit(new CommandLine(new Bench()).execute(args));
    }
}
