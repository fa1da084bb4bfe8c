package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
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
import io.leadscore.v1.ScoreLine;
import io.leadscore.v1.ScoreLineKind;
import io.leadscore.v1.ScorePart;
import io.leadscore.server.scoring.ScoreExplanation;

import java.time.Instant;

/** Maps between the external proto contract and the internal records. No logic beyond the mapping. */
public final class ProtoMapper {

    private ProtoMapper() {
    }

    static RegisterLeadCommand toCommand(RegisterLeadRequest request, Instant now) {
        return new RegisterLeadCommand(request.getLeadId(), request.getEmail(), request.getAccountDomain(),
                                       request.getAccountName(), request.getChannel(), request.getCampaign(),
                                       request.hasRegisteredAt() ? toInstant(request.getRegisteredAt()) : now,
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
                                  toInstant(engagement.getOccurredAt()), engagement.getSessionId(),
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
            builder.setLastChangedAt(toTimestamp(lead.lastChangedAt()));
            builder.setAsOf(toTimestamp(lead.lastChangedAt()));
        }
        if (lead.mqlAt() != null) {
            builder.setMqlAt(toTimestamp(lead.mqlAt()));
        }
        if (lead.slaBreachedAt() != null) {
            builder.setSlaBreachedAt(toTimestamp(lead.slaBreachedAt()));
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
            builder.setAt(toTimestamp(line.at()));
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

    static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    public static Timestamp toTimestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** A duration of a report, to the millisecond as reports have always given them. */
    static com.google.protobuf.Duration toDuration(java.time.Duration duration) {
        long millis = duration.toMillis();
        return com.google.protobuf.Duration.newBuilder().setSeconds(Math.floorDiv(millis, 1000))
                                           .setNanos((int) Math.floorMod(millis, 1000) * 1_000_000).build();
    }
}
