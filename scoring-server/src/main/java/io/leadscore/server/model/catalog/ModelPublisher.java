package io.leadscore.server.model.catalog;

import io.leadscore.server.axon.AxonApplication;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.model.RuleBasedModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Makes a model version live: records the publish in the catalog, switches the active model, drops aggregate
 * snapshots and cached aggregates (they were folded under the old model), and replays every lead's history into
 * the score projection under the new model, reporting progress and what changed.
 */
public final class ModelPublisher {

    private static final Logger log = LoggerFactory.getLogger(ModelPublisher.class);

    private final AxonApplication axon;
    private final ActiveScoringModel active;
    private final CatalogReader catalog;
    private final SnapshotGuard snapshots;
    private final Clock clock;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public ModelPublisher(AxonApplication axon, ActiveScoringModel active, CatalogReader catalog,
                          SnapshotGuard snapshots, Clock clock) {
        this.axon = axon;
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

    /** Publishes {@code versionName}, or with null rolls back to the previous model. */
    public Summary publish(String versionName, Consumer<Progress> progress) {
        if (!oneAtATime.tryLock()) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "", "another publish is running");
        }
        try {
            Map<String, LeadSnapshot> before = axon.scores().all();
            String previous = active.version();
            Object command = versionName == null
                    ? new ModelCommands.RollbackModel(ModelCatalog.ID, clock.instant())
                    : new ModelCommands.PublishModelVersion(ModelCatalog.ID, versionName, clock.instant());
            String published = axon.commandGateway().sendAndWait(command);
            RuleBasedModel model = new RuleBasedModel(catalog.read().definition(published));
            long started = System.nanoTime();
            active.switchTo(model);
            snapshots.ensureFoldedUnder(published);
            axon.forgetCachedLeads();
            long appliedBefore = axon.scoreProjection().appliedEvents();
            axon.rebuildProjections();
            awaitReplay(progress, appliedBefore);
            Duration replay = Duration.ofNanos(System.nanoTime() - started);
            Summary summary = compare(published, previous, before, axon.scores().all(), replay);
            log.info("model {} published (was {}): {} leads rescored in {} ms, {} changed band, {} became MQL, "
                     + "{} left MQL", published, previous, summary.leadsRescored(), replay.toMillis(),
                     summary.leadsChangedBand(), summary.leadsBecameMql(), summary.leadsLeftMql());
            return summary;
        } finally {
            oneAtATime.unlock();
        }
    }

    private void awaitReplay(Consumer<Progress> progress, long appliedBefore) {
        while (true) {
            var headToken = axon.engine().createHeadToken();
            long head = headToken == null ? 0 : headToken.position().orElse(0);
            progress.accept(new Progress(axon.scoreProjection().appliedEvents() - appliedBefore, head));
            if (axon.projectionCaughtUp()) {
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
