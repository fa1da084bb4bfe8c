package io.leadscore.server.sla;

import io.leadscore.server.lead.api.CheckSlaCommand;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.metrics.BusinessMetrics;
import io.leadscore.server.readside.LeadScoreStore;
import io.leadscore.server.scoring.ScoringModel;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Finds MQLs that sales has left unanswered past the active model's SLA and asks each lead to record the breach.
 * A sweep over the score projection rather than a timer per lead: nothing to persist, so it survives restarts by
 * construction, and the aggregate records each breach once per MQL cycle however often it is asked.
 */
public final class SlaSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlaSweeper.class);
    /** SLA checks a sweep has sent and not yet seen answered. */
    static final int IN_FLIGHT = 16;

    private final LeadScoreStore scores;
    private final CommandGateway commands;
    private final ScoringModel model;
    private final Clock clock;
    private final BusinessMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private boolean started;

    public SlaSweeper(LeadScoreStore scores, CommandGateway commands, ScoringModel model, Clock clock,
                      BusinessMetrics metrics, Duration interval) {
        this.interval = interval;
        this.metrics = metrics;
        this.scores = scores;
        this.commands = commands;
        this.model = model;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "leadscore-sla-sweep");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Sweeps every {@code interval}, the first time one interval from now (the server runs the first sweep itself,
     * before it serves); starting again does nothing.
     */
    public synchronized void start() {
        if (!started && !scheduler.isShutdown()) {
            started = true;
            scheduler.scheduleWithFixedDelay(this::sweepSafely, interval.toMillis(), interval.toMillis(),
                                             TimeUnit.MILLISECONDS);
        }
    }

    /** One sweep; returns, once every check it sent is answered, how many leads were asked to record a breach. */
    public int sweep() {
        Duration sla = model.mqlSla();
        if (sla == null) {
            return 0;
        }
        Instant now = clock.instant();
        int due = 0;
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (LeadSnapshot lead : scores.all().values()) {
            if (lead.stage() == LeadStage.MQL && lead.slaBreachedAt() == null && lead.mqlAt() != null
                && !now.isBefore(lead.mqlAt().plus(sla))) {
                due++;
                // Bounded: a sweep that finds a hundred thousand overdue MQLs (an imported history) must not
                // queue them all at once ahead of the callers' commands.
                try {
                    inFlight.acquire();
                } catch (InterruptedException closing) {
                    Thread.currentThread().interrupt();
                    return due;
                }
                CheckSlaCommand check = new CheckSlaCommand(lead.leadId(), now);
                commands.<CommandOutcome>send(check).whenComplete((outcome, failure) -> {
                    inFlight.release();
                    if (failure != null) {
                        log.warn("SLA check of a lead failed: {}", failure.toString());
                    } else if (outcome.effect() == CommandOutcome.Effect.APPLIED) {
                        metrics.slaBreached();
                    }
                });
            }
        }
        try {
            inFlight.acquire(IN_FLIGHT);
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        }
        return due;
    }

    /** One sweep that logs instead of throwing: a failed sweep is retried by the next. */
    public void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("SLA sweep failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        scheduler.shutdownNow();
    }
}
