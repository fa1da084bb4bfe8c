package io.leadscore.server.model.catalog;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.model.RuleBasedModel;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadscore.server.lead.api.ApplyModelChangeCommand;
import io.leadscore.server.scoring.ModelChangePolicy;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Makes a model version live: records the publish in the catalog, switches the active model, drops aggregate
 * snapshots and cached aggregates (they were folded under the old model), replays every lead's history into the
 * score projection under the new model, and records the stage changes the new model's lifecycle policy asks for,
 * reporting progress and what changed. Recorded stage history is never rewritten.
 */
public final class ModelPublisher {

    private static final Logger log = LoggerFactory.getLogger(ModelPublisher.class);

    private final CommandGateway commands;
    private final LeadRescoring leads;
    private final ActiveScoringModel active;
    private final CatalogReader catalog;
    private final SnapshotGuard snapshots;
    private final Clock clock;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public ModelPublisher(CommandGateway commands, LeadRescoring leads, ActiveScoringModel active,
                          CatalogReader catalog, SnapshotGuard snapshots, Clock clock) {
        this.commands = commands;
        this.leads = leads;
        this.active = active;
        this.catalog = catalog;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** Progress of the replay: events applied so far and the store's head position. */
    public record Progress(long eventsReplayed, long headPosition) {
    }

    /** What a publish changed. */
    public record Summary(String activeVersion, String previousVersion, long leadsRescored, long leadsChangedBand,
                          long leadsBecameMql, long leadsLeftMql, Duration replay) {
    }

    /**
     * Which version to make active.
     *
     * @param versionName the version, or null with {@code rollback}: the one active before the current one
     * @param rollback    whether this goes back to a version published before
     */
    public record Target(String versionName, boolean rollback) {

        public static Target publish(String versionName) {
            return new Target(versionName, false);
        }

        public static Target previous() {
            return new Target(null, true);
        }

        public static Target rollbackTo(String versionName) {
            return new Target(versionName, true);
        }
    }

    /** Model-change commands in flight at once, so a publish over many leads never floods the command bus. */
    private static final int RESTAGING_IN_FLIGHT = 16;

    /**
     * Makes {@code target} the active model. Scores are recomputed from history under it; stages stay as
     * recorded, except that under a model whose {@code lifecycle.on_model_change} is {@code requalify} each lead
     * whose stage the new rule contradicts takes a new transition recorded at publish time.
     */
    public Summary publish(Target target, Consumer<Progress> progress) {
        if (!oneAtATime.tryLock()) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "", "another publish is running");
        }
        try {
            Map<String, LeadSnapshot> before = leads.rows();
            String previous = active.version();
            Instant publishedAt = clock.instant();
            Object command = target.rollback()
                    ? new ModelCommands.RollbackModel(ModelCatalog.ID, target.versionName(), publishedAt)
                    : new ModelCommands.PublishModelVersion(ModelCatalog.ID, target.versionName(), publishedAt);
            String published = commands.sendAndWait(command);
            RuleBasedModel model = new RuleBasedModel(catalog.read().definition(published));
            long started = System.nanoTime();
            active.switchTo(model);
            snapshots.ensureFoldedUnder(published);
            long appliedBefore = leads.appliedEvents();
            leads.rescoreAll();
            awaitReplay(progress, appliedBefore);
            if (model.onModelChange() == ModelChangePolicy.REQUALIFY && restage(previous, publishedAt) > 0) {
                awaitReplay(progress, appliedBefore);
            }
            Duration replay = Duration.ofNanos(System.nanoTime() - started);
            Summary summary = compare(published, previous, before, leads.rows(), replay);
            log.info("model {} published (was {}): {} leads rescored in {} ms, {} changed band, {} became MQL, "
                     + "{} left MQL", published, previous, summary.leadsRescored(), replay.toMillis(),
                     summary.leadsChangedBand(), summary.leadsBecameMql(), summary.leadsLeftMql());
            return summary;
        } finally {
            oneAtATime.unlock();
        }
    }

    /**
     * Asks every lead whose stage the new rule may contradict (an MQL it no longer qualifies, a lead in an
     * automatic stage it now qualifies) to take the model's verdict; each lead decides from its own fold, so the
     * projection's rows only pick the candidates. Answers how many leads were asked.
     */
    private long restage(String previousVersion, Instant publishedAt) {
        Semaphore inFlight = new Semaphore(RESTAGING_IN_FLIGHT);
        java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();
        long asked = 0;
        for (LeadSnapshot row : leads.rows().values()) {
            boolean contradicted = row.stage() == LeadStage.MQL ? !row.score().qualifies()
                    : row.stage().qualifiesAutomatically() && row.score().qualifies();
            if (!contradicted) {
                continue;
            }
            inFlight.acquireUninterruptibly();
            asked++;
            commands.send(new ApplyModelChangeCommand(row.leadId(), previousVersion, publishedAt))
                .whenComplete((outcome, error) -> {
                    if (error != null) {
                        failed.increment();
                    }
                    inFlight.release();
                });
        }
        inFlight.acquireUninterruptibly(RESTAGING_IN_FLIGHT);
        if (failed.sum() > 0) {
            log.warn("model change: {} of {} leads could not be restaged; they keep their stage until their "
                     + "next fact", failed.sum(), asked);
        }
        return asked;
    }

    private void awaitReplay(Consumer<Progress> progress, long appliedBefore) {
        while (true) {
            progress.accept(new Progress(leads.appliedEvents() - appliedBefore, leads.headPosition()));
            if (leads.caughtUp()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeadscoreException(ErrorCode.INTERNAL, "", "interrupted while replaying");
            }
        }
    }

    private static Summary compare(String published, String previous, Map<String, LeadSnapshot> before,
                                   Map<String, LeadSnapshot> after, Duration replay) {
        long changedBand = 0;
        long becameMql = 0;
        long leftMql = 0;
        for (Map.Entry<String, LeadSnapshot> entry : after.entrySet()) {
            LeadSnapshot old = before.get(entry.getKey());
            if (old == null) {
                continue;
            }
            if (!old.score().matrix().equals(entry.getValue().score().matrix())) {
                changedBand++;
            }
            boolean wasMql = old.stage() == LeadStage.MQL;
            boolean isMql = entry.getValue().stage() == LeadStage.MQL;
            if (!wasMql && isMql) {
                becameMql++;
            } else if (wasMql && !isMql) {
                leftMql++;
            }
        }
        return new Summary(published, previous, after.size(), changedBand, becameMql, leftMql, replay);
    }
}
