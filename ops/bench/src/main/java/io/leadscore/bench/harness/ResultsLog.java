package io.leadscore.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Appends one run of a scenario to {@code ops/bench/RESULTS.md}: when, on what machine and JVM, the exact command,
 * the table and what it means against the target. Runs are only ever appended, so the file is the history.
 */
public final class ResultsLog {

    private final Path file;

    public ResultsLog(Path file) {
        this.file = file;
    }

    public void append(String scenario, List<String> command, ResultTable table, String verdict) {
        StringBuilder entry = new StringBuilder();
        entry.append("\n### ").append(scenario).append(", ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
             .append("\n\n");
        entry.append("- machine: ").append(machine()).append('\n');
        entry.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
             .append(System.getProperty("java.version")).append('\n');
        entry.append("- command: `").append(String.join(" ", command)).append("`\n\n");
        entry.append(table.markdown()).append('\n');
        if (!verdict.isEmpty()) {
            entry.append(verdict).append('\n');
        }
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, "# Benchmark results\n\nAppended by `ops/bench/run SCENARIO`; newest last.\n");
            }
            Files.writeString(file, entry, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Cores, memory and CPU model: the figures are only comparable on a like machine. */
    public static String machine() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return Runtime.getRuntime().availableProcessors() + " cores, " + Math.round(memory / (1024.0 * 1024 * 1024))
               + " GiB, " + cpuModel() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }
}
