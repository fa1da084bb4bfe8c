package io.leadscore.server.watch;

import io.grpc.stub.ServerCallStreamObserver;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.LeadTransitioned;
import io.leadscore.server.lead.api.SlaBreached;
import io.leadscore.server.projection.LeadScoreStore;
import io.leadscore.v1.WatchLeadsResponse;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One {@code WatchLeads} call: follows the event store from a position and turns stage changes and SLA breaches
 * into alerts. Runs on its own thread, sends only while the client keeps up (gRPC flow control), and stops when
 * the client goes away.
 */
public final class LeadWatch implements Runnable {

    /** What a watcher wants to see. */
    public record Filter(Set<LeadStage> stages, double minTotalScore, String channel, String accountDomain) {
    }

    private final EventStore events;
    private final LeadScoreStore scores;
    private final io.leadscore.server.history.LeadHistory history;
    private final Filter filter;
    private final String resumeToken;
    private final ServerCallStreamObserver<WatchLeadsResponse> response;
    private final java.util.function.Function<LeadStage, io.leadscore.v1.LeadStage> stages;

    public LeadWatch(EventStore events, LeadScoreStore scores, io.leadscore.server.history.LeadHistory history,
                     Filter filter, String resumeToken,
                     ServerCallStreamObserver<WatchLeadsResponse> response,
                     java.util.function.Function<LeadStage, io.leadscore.v1.LeadStage> stages) {
        this.events = events;
        this.scores = scores;
        this.history = history;
        this.filter = filter;
        this.resumeToken = resumeToken;
        this.response = response;
        this.stages = stages;
    }

    @Override
    public void run() {
        var start = resumeToken.isEmpty() ? events.createHeadToken() : ResumeTokens.decode(resumeToken);
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(start)) {
            while (!response.isCancelled()) {
                if (!stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                TrackedEventMessage<?> event = stream.nextAvailable();
                Optional<WatchLeadsResponse> alert = alert(event);
                if (alert.isPresent()) {
                    while (!response.isReady() && !response.isCancelled()) {
                        Thread.sleep(5);
                    }
                    if (!response.isCancelled()) {
                        response.onNext(alert.get());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!response.isCancelled()) {
                response.onError(io.grpc.Status.UNAVAILABLE.withDescription("the watch stopped; resume with the last "
                                                                            + "resume_token").asRuntimeException());
            }
        }
    }

    private Optional<WatchLeadsResponse> alert(TrackedEventMessage<?> event) {
        Object payload = event.getPayload();
        WatchLeadsResponse.Builder alert = WatchLeadsResponse.newBuilder();
        String leadId;
        LeadStage stage;
        double total;
        Instant at;
        if (payload instanceof LeadQualified qualified) {
            leadId = qualified.leadId();
            stage = LeadStage.MQL;
            total = qualified.totalScore();
            at = qualified.qualifiedAt();
            alert.setKind(io.leadscore.v1.AlertKind.ALERT_KIND_STAGE_CHANGED).setCause("model")
                 .setModelVersion(qualified.modelVersion());
        } else if (payload instanceof io.leadscore.server.lead.api.LeadInformationQualified informed) {
            leadId = informed.leadId();
            stage = LeadStage.IQL;
            total = informed.totalScore();
            at = informed.qualifiedAt();
            alert.setKind(io.leadscore.v1.AlertKind.ALERT_KIND_STAGE_CHANGED).setCause("model")
                 .setModelVersion(informed.modelVersion());
        } else if (payload instanceof LeadTransitioned transitioned) {
            leadId = transitioned.leadId();
            stage = transitioned.to();
            total = transitioned.totalScore();
            at = transitioned.at();
            alert.setKind(io.leadscore.v1.AlertKind.ALERT_KIND_STAGE_CHANGED)
                 .setCause(transitioned.transition().name().toLowerCase(java.util.Locale.ROOT))
                 .setPreviousStage(stages.apply(transitioned.from()))
                 .setModelVersion(transitioned.modelVersion());
        } else if (payload instanceof io.leadscore.server.lead.api.LeadRestaged restaged) {
            leadId = restaged.leadId();
            stage = restaged.to();
            total = restaged.totalScore();
            at = restaged.at();
            alert.setKind(io.leadscore.v1.AlertKind.ALERT_KIND_STAGE_CHANGED).setCause("model_change")
                 .setPreviousStage(stages.apply(restaged.from()))
                 .setModelVersion(restaged.modelVersion());
        } else if (payload instanceof SlaBreached breached) {
            leadId = breached.leadId();
            stage = LeadStage.MQL;
            total = breached.totalScore();
            at = breached.breachedAt();
            alert.setKind(io.leadscore.v1.AlertKind.ALERT_KIND_SLA_BREACHED).setCause("sla")
                 .setModelVersion(breached.modelVersion());
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
            alert.setKind(io.leadscore.v1.AlertKind.ALERT_KIND_INTENT_HIGH).setCause("interactive_demo")
                 .setModelVersion(after.score().modelVersion());
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
        return Optional.of(alert.setLeadId(leadId).setStage(stages.apply(stage)).setTotalScore(total)
                                .setAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(at.getEpochSecond())
                                                                    .setNanos(at.getNano()))
                                .setChannel(channel).setAccountDomain(account)
                                .setResumeToken(ResumeTokens.encode(event.trackingToken())).build());
    }
}
