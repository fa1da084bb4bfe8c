package io.leadscore.server.readside;

import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.LeadTransitioned;
import io.leadscore.server.lead.api.SlaBreached;
import io.leadscore.server.readside.LeadAlert.Kind;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One watch (a {@code WatchLeads} call): follows the event store from a position and turns stage changes, SLA
 * breaches and high demo intent into {@link LeadAlert}s. Runs on its own thread, sends only while the watcher keeps
 * up (the stream's flow control), and stops when the watcher goes away.
 */
public final class LeadWatch implements Runnable {

    /** What a watcher wants to see. */
    public record Filter(Set<LeadStage> stages, double minTotalScore, String channel, String accountDomain) {
    }

    private final EventStore events;
    private final LeadScoreStore scores;
    private final LeadHistory history;
    private final Filter filter;
    private final String resumeToken;
    private final AlertStream alerts;

    public LeadWatch(EventStore events, LeadScoreStore scores, LeadHistory history,
                     Filter filter, String resumeToken, AlertStream alerts) {
        this.events = events;
        this.scores = scores;
        this.history = history;
        this.filter = filter;
        this.resumeToken = resumeToken;
        this.alerts = alerts;
    }

    @Override
    public void run() {
        var start = resumeToken.isEmpty() ? events.createHeadToken() : ResumeTokens.decode(resumeToken);
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(start)) {
            while (!alerts.isCancelled()) {
                if (!stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                TrackedEventMessage<?> event = stream.nextAvailable();
                Optional<LeadAlert> alert = alert(event);
                if (alert.isPresent()) {
                    while (!alerts.isReady() && !alerts.isCancelled()) {
                        Thread.sleep(5);
                    }
                    if (!alerts.isCancelled()) {
                        alerts.send(alert.get());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!alerts.isCancelled()) {
                alerts.stopped(e);
            }
        }
    }

    private Optional<LeadAlert> alert(TrackedEventMessage<?> event) {
        Object payload = event.getPayload();
        String leadId;
        LeadStage stage;
        LeadStage previousStage = null;
        Kind kind = Kind.STAGE_CHANGED;
        String cause;
        double total;
        String modelVersion;
        Instant at;
        if (payload instanceof LeadQualified qualified) {
            leadId = qualified.leadId();
            stage = LeadStage.MQL;
            total = qualified.totalScore();
            at = qualified.qualifiedAt();
            cause = "model";
            modelVersion = qualified.modelVersion();
        } else if (payload instanceof io.leadscore.server.lead.api.LeadInformationQualified informed) {
            leadId = informed.leadId();
            stage = LeadStage.IQL;
            total = informed.totalScore();
            at = informed.qualifiedAt();
            cause = "model";
            modelVersion = informed.modelVersion();
        } else if (payload instanceof LeadTransitioned transitioned) {
            leadId = transitioned.leadId();
            stage = transitioned.to();
            previousStage = transitioned.from();
            total = transitioned.totalScore();
            at = transitioned.at();
            cause = transitioned.transition().name().toLowerCase(java.util.Locale.ROOT);
            modelVersion = transitioned.modelVersion();
        } else if (payload instanceof io.leadscore.server.lead.api.LeadRestaged restaged) {
            leadId = restaged.leadId();
            stage = restaged.to();
            previousStage = restaged.from();
            total = restaged.totalScore();
            at = restaged.at();
            cause = "model_change";
            modelVersion = restaged.modelVersion();
        } else if (payload instanceof SlaBreached breached) {
            leadId = breached.leadId();
            stage = LeadStage.MQL;
            total = breached.totalScore();
            at = breached.breachedAt();
            kind = Kind.SLA_BREACHED;
            cause = "sla";
            modelVersion = breached.modelVersion();
        } else if (payload instanceof io.leadscore.server.lead.api.EngagementRecorded recorded
                   && io.leadscore.server.scoring.EngagementTypes.INTERACTIVE_DEMO.equals(recorded.engagement().type())) {
            leadId = recorded.leadId();
            at = recorded.engagement().occurredAt();
            var after = history.score(leadId, at).lead();
            String before = history.score(leadId, at.minusNanos(1)).lead().score().demoIntent();
            if (!"HIGH".equals(after.score().demoIntent()) || "HIGH".equals(before)) {
                return Optional.empty();
            }
            stage = after.stage();
            total = after.score().total();
            kind = Kind.INTENT_HIGH;
            cause = "interactive_demo";
            modelVersion = after.score().modelVersion();
        } else {
            return Optional.empty();
        }
        Optional<LeadSnapshot> lead = scores.find(leadId);
        String channel = lead.map(LeadSnapshot::channel).orElse("");
        String account = lead.map(LeadSnapshot::accountDomain).orElse("");
        if ((!filter.stages().isEmpty() && !filter.stages().contains(stage)) || total < filter.minTotalScore()
            || (!filter.channel().isEmpty() && !filter.channel().equals(channel))
            || (!filter.accountDomain().isEmpty() && !filter.accountDomain().equalsIgnoreCase(account))) {
            return Optional.empty();
        }
        return Optional.of(new LeadAlert(leadId, kind, stage, previousStage, cause, total, modelVersion, at, channel,
                                         account, ResumeTokens.encode(event.trackingToken())));
    }
}
