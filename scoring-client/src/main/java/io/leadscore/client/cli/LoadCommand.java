package io.leadscore.client.cli;

import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.RegisterLeadRequest;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code leadscore load}: a repeatable write load. Registers {@code --leads} leads, then records {@code --events}
 * engagements spread over them with {@code --concurrency} unary calls in flight, and prints commands/s and latency
 * percentiles. Event ids derive from {@code --run-id}, so the same run against a fresh store is reproducible.
 */
@Command(name = "load", description = "Generate a repeatable write load and report commands/s and latency.")
final class LoadCommand extends LeadscoreSubcommand {

    private static final List<String> TYPES = List.of("page_view", "page_view", "page_view", "email_opened",
            "email_clicked", "content_download", "video_watched", "webinar_registered", "form_submitted");

    @Option(names = "--leads", defaultValue = "1000", description = "Leads to register (default ${DEFAULT-VALUE}).")
    int leads;
    @Option(names = "--events", defaultValue = "100000", description = "Engagements to record (default ${DEFAULT-VALUE}).")
    int events;
    @Option(names = "--concurrency", defaultValue = "16", description = "Calls in flight (default ${DEFAULT-VALUE}).")
    int concurrency;
    @Option(names = "--run-id", defaultValue = "load", description = "Prefix of lead and event ids (default ${DEFAULT-VALUE}).")
    String runId;
    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        return run((client, out) -> {
            Histogram registerLatency = run(client, leads, "register",
                    i -> client.registerLead(RegisterLeadRequest.newBuilder()
                            .setLeadId(leadId(i)).setEmail("lead" + i + "@example.com")
                            .setAccountDomain("example.com").setChannel("load").build()));
            long[] started = {System.nanoTime()};
            Instant base = Instant.parse("2026-01-01T00:00:00Z");
            Histogram engageLatency = run(client, events, "engage", i -> {
                SplittableRandom random = new SplittableRandom(seed ^ i);
                Instant at = base.plusSeconds(i);
                client.recordEngagement(Engagement.newBuilder()
                        .setEventId(runId + "-e" + i)
                        .setLeadId(leadId(random.nextInt(leads)))
                        .setType(TYPES.get(random.nextInt(TYPES.size())))
                        .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
                        .putAttributes("page_category", random.nextInt(10) == 0 ? "pricing" : "blog")
                        .build());
            });
            double seconds = (System.nanoTime() - started[0]) / 1e9;
            report(out, registerLatency, engageLatency, seconds);
        });
    }

    private String leadId(int index) {
        return runId + "-lead-" + index;
    }

    @FunctionalInterface
    private interface Call {
        void run(int index);
    }

    private Histogram run(LeadscoreClient client, int count, String task, Call call) {
        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong next = new AtomicLong();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try (ProgressBar progress = new ProgressBarBuilder().setTaskName(task).setInitialMax(count)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .continuousUpdate().build()) {
            List<Future<?>> workers = new java.util.ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        call.run((int) i);
                        latency.recordValue(System.nanoTime() - t0);
                        progress.step();
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (ExecutionException e) {
            // A call the server refused or that ran out of time reads like any other command's: the status, once.
            if (e.getCause() instanceof StatusRuntimeException refused) {
                throw refused;
            }
            throw new IllegalStateException(task + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(task + " failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        latency.setEndTimeStamp(System.nanoTime() - started);
        return latency;
    }

    private void report(PrintWriter out, Histogram registers, Histogram engagements, double engageSeconds) {
        double rate = engagements.getTotalCount() / engageSeconds;
        if (cli.json) {
            out.printf(Locale.ROOT, "{\"leads\":%d,\"events\":%d,\"concurrency\":%d,\"commandsPerSecond\":%.1f,"
                                    + "\"p50Millis\":%.3f,\"p99Millis\":%.3f,\"p999Millis\":%.3f}%n",
                       leads, events, concurrency, rate, millis(engagements, 50), millis(engagements, 99),
                       millis(engagements, 99.9));
        } else {
            new Table("PHASE", "CALLS", "CONCURRENCY", "CALLS/S", "P50 MS", "P99 MS", "P99.9 MS")
                    .row("register", registers.getTotalCount(), concurrency, "-",
                         fmt(millis(registers, 50)), fmt(millis(registers, 99)), fmt(millis(registers, 99.9)))
                    .row("engage", engagements.getTotalCount(), concurrency, fmt(rate),
                         fmt(millis(engagements, 50)), fmt(millis(engagements, 99)), fmt(millis(engagements, 99.9)))
                    .print(out);
        }
        out.flush();
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
