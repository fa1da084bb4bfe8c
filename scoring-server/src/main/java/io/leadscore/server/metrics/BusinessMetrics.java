package io.leadscore.server.metrics;

import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.readside.LeadScoreStore;
import io.leadscore.server.scoring.EngagementTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import org.axonframework.eventhandling.EventTrackerStatus;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the service does for the business, as Prometheus sees it. Every tag is bounded: engagement types come from
 * a fixed list, reasons are status codes, channels are capped at the first {@link #MAX_CHANNELS} seen (the rest
 * count as {@code other}), bands are the model's grades and levels. Lead ids never become tags.
 */
public final class BusinessMetrics {

    static final int MAX_CHANNELS = 50;
    private static final String OTHER = "other";

    private final MeterRegistry registry;
    /** Counters by tag value, resolved once: engagements are counted on the ingest path. */
    private final Map<String, Counter> ingested = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> mqlsByChannel = new ConcurrentHashMap<>();
    private final Set<String> channels = ConcurrentHashMap.newKeySet();

    public BusinessMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Series that alerts and dashboards read exist from the start, at zero, not only after their first event.
        slaBreachCounter().increment(0);
        for (String outcome : new String[]{"ok", "failed", "cancelled"}) {
            backtestCounter(outcome).increment(0);
        }
        EngagementTypes.KNOWN.forEach(type -> ingestedCounter(type).increment(0));
        for (String reason : new String[]{"INVALID_ARGUMENT", "NOT_FOUND"}) {
            rejectedCounter(reason).increment(0);
        }
    }

    private Counter ingestedCounter(String type) {
        return ingested.computeIfAbsent(type, t -> Counter.builder("leadscore.engagements.ingested")
                .description("Engagements stored, by type").tag("type", t).register(registry));
    }

    private Counter rejectedCounter(String reason) {
        return rejected.computeIfAbsent(reason, r -> Counter.builder("leadscore.engagements.rejected")
                .description("Engagements refused, by status code").tag("reason", r).register(registry));
    }

    private Counter slaBreachCounter() {
        return Counter.builder("leadscore.sla.breaches").description("MQLs sales left unanswered past the SLA")
                      .register(registry);
    }

    private Counter backtestCounter(String outcome) {
        return Counter.builder("leadscore.backtests").description("Backtests run, by outcome")
                      .tag("outcome", outcome).register(registry);
    }

    /** An engagement stored (not a duplicate). */
    public void engagementIngested(String type) {
        ingestedCounter(EngagementTypes.KNOWN.contains(type) ? type : OTHER).increment();
    }

    /** An engagement refused; {@code reason} is the gRPC status code. */
    public void engagementRejected(String reason) {
        rejectedCounter(reason).increment();
    }

    /** A lead became an MQL. */
    public void mqlTransition(String channel) {
        mqlsByChannel.computeIfAbsent(boundedChannel(channel), c -> Counter.builder("leadscore.mql.transitions")
                .description("Leads that became MQLs, by acquisition channel").tag("channel", c).register(registry))
                     .increment();
    }

    /** Sales missed the SLA of an MQL. */
    public void slaBreached() {
        slaBreachCounter().increment();
    }

    /** A backtest finished ({@code ok}) or failed. */
    public void backtestRun(String outcome) {
        backtestCounter(outcome).increment();
    }

    /**
     * Publishes leads per fit/engagement band (the matrix label, such as {@code B2}) from the score projection,
     * recounted every {@code period}: a scrape never walks all leads itself. Bands no lead holds any more
     * disappear; the set is bounded by the model's grades and levels.
     */
    public void publishScoreBands(LeadScoreStore scores, java.util.concurrent.ScheduledExecutorService scheduler,
                                  java.time.Duration period) {
        MultiGauge bands = MultiGauge.builder("leadscore.leads.by.band")
                                     .description("Leads per fit grade and engagement level").register(registry);
        Runnable recount = () -> bands.register(
                scores.all().values().stream()
                      .collect(Collectors.groupingBy(BusinessMetrics::band, Collectors.counting()))
                      .entrySet().stream()
                      .map(e -> MultiGauge.Row.of(Tags.of("band", e.getKey()), e.getValue()))
                      .collect(Collectors.toList()),
                true);
        recount.run();
        scheduler.scheduleWithFixedDelay(recount, period.toMillis(), period.toMillis(),
                                         java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes how many stored events each segment of each processor still has to handle (head position minus
     * the segment's token position), recounted every {@code period}: lag in events per processor and segment.
     */
    public void publishProcessorLag(String processor, Supplier<Map<Integer, EventTrackerStatus>> status,
                                    LongSupplier headPosition, ScheduledExecutorService scheduler, Duration period) {
        MultiGauge lag = MultiGauge.builder("leadscore.processor.lag.events")
                                   .description("Stored events a processor segment has not handled yet")
                                   .register(registry);
        Runnable recount = () -> {
            long head = headPosition.getAsLong();
            lag.register(status.get().entrySet().stream()
                               .map(e -> MultiGauge.Row.of(
                                       Tags.of("processor", processor, "segment", String.valueOf(e.getKey())),
                                       Math.max(0, head - position(e.getValue()))))
                               .collect(Collectors.toList()),
                         true);
        };
        scheduler.scheduleWithFixedDelay(recount, 0, period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Publishes how long the oldest stored event a processor has not handled has waited, in seconds. */
    public void publishProjectionLagSeconds(String processor, java.util.function.DoubleSupplier seconds) {
        io.micrometer.core.instrument.Gauge.builder("leadscore.processor.lag.seconds", seconds,
                                                    java.util.function.DoubleSupplier::getAsDouble)
                                           .description("How long the oldest stored event a processor has not "
                                                        + "handled has waited")
                                           .tag("processor", processor).register(registry);
    }

    private static long position(EventTrackerStatus status) {
        return status.getCurrentPosition().orElse(0L);
    }

    private static String band(LeadSnapshot lead) {
        return lead.score() == null ? "none" : lead.score().matrix();
    }

    private String boundedChannel(String channel) {
        String name = channel == null || channel.isBlank() ? "none" : channel;
        if (channels.contains(name)) {
            return name;
        }
        synchronized (channels) {
            if (channels.size() < MAX_CHANNELS) {
                channels.add(name);
                return name;
            }
        }
        return OTHER;
    }
}
