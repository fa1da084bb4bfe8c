package io.leadscore.server.grpc;

import io.leadscore.server.readside.LeadAlert;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.v1.AlertKind;
import io.leadscore.v1.ScoreLine;
import io.leadscore.v1.ScoreLineKind;
import io.leadscore.v1.ScorePart;
import io.leadscore.v1.WatchLeadsResponse;

/**
 * Maps what {@code leadscore.v1.ScoreService} answers with beyond the lead's own messages ({@link LeadMessages}):
 * the lines of an explanation and a watch's alerts. No logic beyond the mapping.
 */
final class ScoreMessages {

    private ScoreMessages() {
    }

    static WatchLeadsResponse toProto(LeadAlert alert) {
        WatchLeadsResponse.Builder builder = WatchLeadsResponse.newBuilder()
                .setLeadId(alert.leadId())
                .setKind(toProto(alert.kind()))
                .setStage(LeadMessages.toProto(alert.stage()))
                .setCause(alert.cause())
                .setTotalScore(alert.totalScore())
                .setModelVersion(alert.modelVersion())
                .setAt(ProtoTime.toTimestamp(alert.at()))
                .setChannel(alert.channel())
                .setAccountDomain(alert.accountDomain())
                .setResumeToken(alert.resumeToken());
        if (alert.previousStage() != null) {
            builder.setPreviousStage(LeadMessages.toProto(alert.previousStage()));
        }
        return builder.build();
    }

    static ScoreLine toProto(ScoreExplanation.Line line) {
        ScoreLine.Builder builder = ScoreLine.newBuilder()
                .setPart(ScorePart.valueOf("SCORE_PART_" + line.part().name()))
                .setKind(ScoreLineKind.valueOf("SCORE_LINE_KIND_" + line.kind().name()))
                .setRuleId(line.ruleId())
                .addAllEventIds(line.eventIds())
                .setRawPoints(line.rawPoints())
                .setPoints(line.points())
                .setNote(line.note());
        if (line.at() != null) {
            builder.setAt(ProtoTime.toTimestamp(line.at()));
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
