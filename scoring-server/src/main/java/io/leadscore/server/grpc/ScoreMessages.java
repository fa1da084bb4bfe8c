package io.leadscore.server.grpc;

import io.leadscore.server.readside.LeadAlert;
import io.leadscore.v1.AlertKind;
import io.leadscore.v1.WatchLeadsResponse;

/**
 * Maps what {@code leadscore.v1.ScoreService} streams from the features below it: a watch's alerts. (Scores
 * and explanations go through {@link ProtoMapper}, as the lead service's do.) No logic beyond the mapping.
 */
final class ScoreMessages {

    private ScoreMessages() {
    }

    static WatchLeadsResponse toProto(LeadAlert alert) {
        WatchLeadsResponse.Builder builder = WatchLeadsResponse.newBuilder()
                .setLeadId(alert.leadId())
                .setKind(toProto(alert.kind()))
                .setStage(ProtoMapper.toProto(alert.stage()))
                .setCause(alert.cause())
                .setTotalScore(alert.totalScore())
                .setModelVersion(alert.modelVersion())
                .setAt(ProtoMapper.toTimestamp(alert.at()))
                .setChannel(alert.channel())
                .setAccountDomain(alert.accountDomain())
                .setResumeToken(alert.resumeToken());
        if (alert.previousStage() != null) {
            builder.setPreviousStage(ProtoMapper.toProto(alert.previousStage()));
        }
        return builder.build();
    }

    private static AlertKind toProto(LeadAlert.Kind kind) {
        return switch (kind) {
            case STAGE_CHANGED -> AlertKind.ALERT_KIND_STAGE_CHANGED;
            case SLA_BREACHED -> AlertKind.ALERT_KIND_SLA_BREACHED;
            case INTENT_HIGH -> AlertKind.ALERT_KIND_INTENT_HIGH;
        };
    }
}
