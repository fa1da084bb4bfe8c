package io.leadscore.server.grpc;

import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.RegisterLeadCommand;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.Seniority;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RegisterLeadRequest;

import java.time.Instant;

/**
 * Maps {@code leadscore.v1.LeadService}'s requests and the lead's own messages ({@code lead.proto}: scores, stages,
 * engagements, profiles), which every service answers with, to and from the internal records. No logic beyond the
 * mapping; times go through {@link ProtoTime}.
 */
final class LeadMessages {

    private LeadMessages() {
    }

    static RegisterLeadCommand toCommand(RegisterLeadRequest request, Instant now) {
        return new RegisterLeadCommand(request.getLeadId(), request.getEmail(), request.getAccountDomain(),
                                       request.getAccountName(), request.getChannel(), request.getCampaign(),
                                       request.hasRegisteredAt() ? ProtoTime.toInstant(request.getRegisteredAt())
                                               : now,
                                       request.getName());
    }

    static FitProfile toProfile(Profile profile) {
        return new FitProfile(profile.getJobTitle(),
                              toSeniority(profile.getSeniority()),
                              profile.getDepartment(),
                              profile.getCompanySize(),
                              profile.getIndustry(),
                              profile.getAnnualRevenueUsd(),
                              profile.getCountry(),
                              profile.getTechnologiesList(),
                              profile.getIntentSignalsList());
    }

    private static Seniority toSeniority(io.leadscore.v1.Seniority seniority) {
        return switch (seniority) {
            case SENIORITY_INDIVIDUAL_CONTRIBUTOR -> Seniority.INDIVIDUAL_CONTRIBUTOR;
            case SENIORITY_MANAGER -> Seniority.MANAGER;
            case SENIORITY_DIRECTOR -> Seniority.DIRECTOR;
            case SENIORITY_VP -> Seniority.VP;
            case SENIORITY_C_LEVEL -> Seniority.C_LEVEL;
            case SENIORITY_OWNER -> Seniority.OWNER;
            case SENIORITY_UNSPECIFIED, UNRECOGNIZED -> Seniority.UNKNOWN;
        };
    }

    static EngagementFact toFact(Engagement engagement) {
        return new EngagementFact(engagement.getEventId(), engagement.getType(),
                                  ProtoTime.toInstant(engagement.getOccurredAt()), engagement.getSessionId(),
                                  engagement.getChannel(), engagement.getAttributesMap());
    }

    static LeadScore toProto(LeadSnapshot lead) {
        LeadScore.Builder builder = LeadScore.newBuilder()
                .setLeadId(lead.leadId())
                .setFitScore(lead.score().fit())
                .setEngagementScore(lead.score().engagement())
                .setTotalScore(lead.score().total())
                .setStage(toProto(lead.stage()))
                .setModelVersion(lead.score().modelVersion())
                .setVersion(lead.version())
                .setFitGrade(lead.score().fitGrade())
                .setEngagementLevel(lead.score().engagementLevel())
                .setMatrix(lead.score().matrix())
                .setDemoIntent(lead.score().demoIntent())
                .setMeetsMqlRule(lead.score().qualifies());
        if (lead.lastChangedAt() != null) {
            builder.setLastChangedAt(ProtoTime.toTimestamp(lead.lastChangedAt()));
            builder.setAsOf(ProtoTime.toTimestamp(lead.lastChangedAt()));
        }
        if (lead.mqlAt() != null) {
            builder.setMqlAt(ProtoTime.toTimestamp(lead.mqlAt()));
        }
        if (lead.slaBreachedAt() != null) {
            builder.setSlaBreachedAt(ProtoTime.toTimestamp(lead.slaBreachedAt()));
        }
        return builder.build();
    }

    public static LeadStage toProto(io.leadscore.server.lead.api.LeadStage stage) {
        return switch (stage) {
            case SUBSCRIBER -> LeadStage.LEAD_STAGE_SUBSCRIBER;
            case LEAD -> LeadStage.LEAD_STAGE_LEAD;
            case IQL -> LeadStage.LEAD_STAGE_IQL;
            case MQL -> LeadStage.LEAD_STAGE_MQL;
            case SQL -> LeadStage.LEAD_STAGE_SQL;
            case OPPORTUNITY -> LeadStage.LEAD_STAGE_OPPORTUNITY;
            case CUSTOMER -> LeadStage.LEAD_STAGE_CUSTOMER;
            case RECYCLED -> LeadStage.LEAD_STAGE_RECYCLED;
            case DISQUALIFIED -> LeadStage.LEAD_STAGE_DISQUALIFIED;
        };
    }

    /** A stage of a filter; {@link RequestValidator#validateStages} has refused unset and unknown ones. */
    static io.leadscore.server.lead.api.LeadStage toStage(LeadStage stage) {
        return io.leadscore.server.lead.api.LeadStage.valueOf(stage.name().replace("LEAD_STAGE_", ""));
    }

    static io.leadscore.server.lead.api.ImportedOutcome toImportedOutcome(io.leadscore.v1.Outcome outcome) {
        return io.leadscore.server.lead.api.ImportedOutcome.valueOf(outcome.name().replace("OUTCOME_", ""));
    }
}
