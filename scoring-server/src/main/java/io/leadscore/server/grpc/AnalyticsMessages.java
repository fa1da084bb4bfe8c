package io.leadscore.server.grpc;

import io.leadscore.server.analytics.FunnelGrouping;
import io.leadscore.server.analytics.FunnelReport;
import io.leadscore.v1.FunnelGroup;
import io.leadscore.v1.GetFunnelReportResponse;
import io.leadscore.v1.StageConversion;
import io.leadscore.v1.StageCount;
import io.leadscore.v1.StageVelocity;

/** Maps between the {@code leadscore.v1.AnalyticsService} messages and the funnel report. No logic beyond it. */
final class AnalyticsMessages {

    private AnalyticsMessages() {
    }

    /** The grouping asked for; unset means by channel. {@link AnalyticsRequests} has refused unknown values. */
    static FunnelGrouping toGrouping(io.leadscore.v1.FunnelGrouping grouping) {
        return switch (grouping) {
            case FUNNEL_GROUPING_CAMPAIGN -> FunnelGrouping.CAMPAIGN;
            case FUNNEL_GROUPING_MONTH -> FunnelGrouping.MONTH;
            case FUNNEL_GROUPING_CHANNEL, FUNNEL_GROUPING_UNSPECIFIED -> FunnelGrouping.CHANNEL;
            case UNRECOGNIZED -> throw new IllegalArgumentException("an unknown grouping reached the mapping");
        };
    }

    static GetFunnelReportResponse toProto(FunnelReport report) {
        GetFunnelReportResponse.Builder builder = GetFunnelReportResponse.newBuilder()
                .setFrom(ProtoTime.toTimestamp(report.from()))
                .setTo(ProtoTime.toTimestamp(report.to()))
                .setModelVersion(report.modelVersion())
                .setCurrency(report.currency())
                .setSpendInOtherCurrencies(report.spendInOtherCurrencies())
                .setTotal(toProto(report.total()));
        report.groups().forEach(group -> builder.addGroups(toProto(group)));
        return builder.build();
    }

    private static FunnelGroup toProto(FunnelReport.Group group) {
        FunnelGroup.Builder builder = FunnelGroup.newBuilder().setGroup(group.group());
        for (FunnelReport.StageCount count : group.stages()) {
            builder.addStages(StageCount.newBuilder().setStage(LeadMessages.toProto(count.stage()))
                                        .setLeads(count.leads()));
        }
        for (FunnelReport.StageConversion conversion : group.conversions()) {
            builder.addConversions(StageConversion.newBuilder()
                    .setFrom(LeadMessages.toProto(conversion.from()))
                    .setTo(LeadMessages.toProto(conversion.to()))
                    .setEntered(conversion.entered())
                    .setConverted(conversion.converted())
                    .setRate(conversion.rate()));
        }
        for (FunnelReport.StageVelocity velocity : group.velocity()) {
            builder.addVelocity(StageVelocity.newBuilder()
                    .setStage(LeadMessages.toProto(velocity.stage()))
                    .setLeads(velocity.leads())
                    .setMedian(ProtoTime.toDuration(velocity.median()))
                    .setP90(ProtoTime.toDuration(velocity.p90())));
        }
        return builder.setSpend(group.spend())
                      .setCostPerLead(group.costPerLead())
                      .setCostPerMql(group.costPerMql())
                      .setCostPerSql(group.costPerSql())
                      .setCostPerCustomer(group.costPerCustomer())
                      .setDiagnosis(group.diagnosis())
                      .build();
    }
}
