package io.leadscore.server.grpc;

import io.leadscore.server.lead.api.AdjustScoreCommand;
import io.leadscore.server.lead.api.Bant;
import io.leadscore.server.lead.api.EraseLeadCommand;
import io.leadscore.server.lead.api.ImportLeadCommand;
import io.leadscore.server.lead.api.ImportOutcomeCommand;
import io.leadscore.server.lead.api.RecordEngagementCommand;
import io.leadscore.server.lead.api.RegisterLeadCommand;
import io.leadscore.server.lead.api.SalesTransition;
import io.leadscore.server.lead.api.TransitionLeadCommand;
import io.leadscore.server.lead.api.UpdateProfileCommand;
import io.leadscore.server.scoring.ScoreAdjustment;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustedPart;
import io.leadscore.v1.CloseLostRequest;
import io.leadscore.v1.CloseWonRequest;
import io.leadscore.v1.DisqualifyLeadRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.EraseLeadRequest;
import io.leadscore.v1.ImportLeadRequest;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RecordOpportunityRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RejectLeadRequest;
import io.leadscore.v1.ReopenLeadRequest;
import io.leadscore.v1.StreamEngagementsRequest;
import io.leadscore.v1.UpdateProfileRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.leadscore.server.grpc.RequestValidator.invalid;
import static io.leadscore.server.grpc.RequestValidator.maxLength;
import static io.leadscore.server.grpc.RequestValidator.within;

/**
 * The one validation of each {@code leadscore.v1.LeadService} request, which turns it into the lead command it
 * asks for: a request that passes is sent as it is returned, one that fails is refused naming the field. Times a
 * request leaves unset are the clock's now.
 */
public final class LeadRequests {

    /** At most this many engagements and outcomes in one imported lead: one command, one write. */
    static final int MAX_IMPORTED_ENGAGEMENTS = 1000;
    static final int MAX_IMPORTED_OUTCOMES = 100;

    private final RequestValidator validator;
    private final Clock clock;

    public LeadRequests(RequestValidator validator, Clock clock) {
        this.validator = validator;
        this.clock = clock;
    }

    RegisterLeadCommand registerLead(RegisterLeadRequest request) {
        validateRegistration(request);
        return LeadMessages.toCommand(request, clock.instant());
    }

    UpdateProfileCommand updateProfile(UpdateProfileRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        if (!request.hasProfile()) {
            throw invalid("profile", "is required");
        }
        validator.validate(request.getProfile(), "profile");
        if (request.hasUpdatedAt()) {
            validator.validateTime(request.getUpdatedAt(), "updated_at");
        }
        return new UpdateProfileCommand(
                request.getLeadId(), LeadMessages.toProfile(request.getProfile()),
                request.hasUpdatedAt() ? ProtoTime.toInstant(request.getUpdatedAt()) : clock.instant());
    }

    ImportOutcomeCommand importOutcome(ImportOutcomeRequest request) {
        validateOutcome(request);
        return outcomeCommand(request.getLeadId(), request);
    }

    /** Validates every part before anything is sent: a lead is imported whole or not at all. */
    ImportLeadCommand importLead(ImportLeadRequest request) {
        if (!request.hasRegistration()) {
            throw invalid("registration", "is required");
        }
        RegisterLeadRequest registration = request.getRegistration();
        within("registration", () -> validateRegistration(registration));
        if (!registration.hasRegisteredAt()) {
            throw invalid("registration.registered_at", "is required: history keeps its own times");
        }
        String leadId = registration.getLeadId();
        if (request.getEngagementsCount() > MAX_IMPORTED_ENGAGEMENTS) {
            throw invalid("engagements", "has " + request.getEngagementsCount()
                                         + " entries; at most " + MAX_IMPORTED_ENGAGEMENTS);
        }
        if (request.getOutcomesCount() > MAX_IMPORTED_OUTCOMES) {
            throw invalid("outcomes", "has " + request.getOutcomesCount()
                                      + " entries; at most " + MAX_IMPORTED_OUTCOMES);
        }
        UpdateProfileCommand profile = null;
        if (request.hasProfile()) {
            UpdateProfileRequest update = request.getProfile();
            sameLead(leadId, update.getLeadId(), "profile.lead_id");
            if (!update.hasProfile()) {
                throw invalid("profile.profile", "is required with a profile");
            }
            validator.validate(update.getProfile(), "profile.profile");
            if (!update.hasUpdatedAt()) {
                throw invalid("profile.updated_at", "is required: history keeps its own times");
            }
            validator.validateTime(update.getUpdatedAt(), "profile.updated_at");
            profile = new UpdateProfileCommand(leadId, LeadMessages.toProfile(update.getProfile()),
                                               ProtoTime.toInstant(update.getUpdatedAt()));
        }
        List<RecordEngagementCommand> engagements = new ArrayList<>();
        for (int i = 0; i < request.getEngagementsCount(); i++) {
            Engagement engagement = request.getEngagements(i);
            validator.validate(engagement, "engagements[" + i + "]");
            sameLead(leadId, engagement.getLeadId(), "engagements[" + i + "].lead_id");
            engagements.add(new RecordEngagementCommand(leadId, LeadMessages.toFact(engagement)));
        }
        List<ImportOutcomeCommand> outcomes = new ArrayList<>();
        for (int i = 0; i < request.getOutcomesCount(); i++) {
            ImportOutcomeRequest outcome = request.getOutcomes(i);
            within("outcomes[" + i + "]", () -> validateOutcome(outcome));
            sameLead(leadId, outcome.getLeadId(), "outcomes[" + i + "].lead_id");
            outcomes.add(outcomeCommand(leadId, outcome));
        }
        return new ImportLeadCommand(leadId, LeadMessages.toCommand(registration, clock.instant()), profile,
                                     engagements, outcomes);
    }

    EraseLeadCommand eraseLead(EraseLeadRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        if (request.getActor().isBlank() || request.getActor().length() > 128) {
            throw invalid("actor", "must be 1-128 characters: who asked for the erasure");
        }
        return new EraseLeadCommand(request.getLeadId(), request.getActor(), clock.instant());
    }

    RecordEngagementCommand recordEngagement(RecordEngagementRequest request) {
        return engagementCommand(request.hasEngagement(), request.getEngagement());
    }

    /** One message of a {@code StreamEngagements} call, checked as {@link #recordEngagement} checks its request. */
    RecordEngagementCommand streamedEngagement(StreamEngagementsRequest message) {
        return engagementCommand(message.hasEngagement(), message.getEngagement());
    }

    AdjustScoreCommand adjustScore(AdjustScoreRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        RequestValidator.validateId(request.getAdjustmentId(), "adjustment_id");
        double points = request.getPoints();
        if (!Double.isFinite(points) || points == 0 || Math.abs(points) > 1000) {
            throw invalid("points", "must be a non-zero number between -1000 and 1000");
        }
        if (request.getPart() == AdjustedPart.UNRECOGNIZED) {
            throw invalid("part", "is not a known part");
        }
        if (request.getActor().isBlank() || request.getActor().length() > 128) {
            throw invalid("actor", "must be 1-128 characters");
        }
        if (request.getReason().isBlank() || request.getReason().length() > 1024) {
            throw invalid("reason", "must be 1-1024 characters");
        }
        if (request.hasEffectiveAt()) {
            validator.validateTime(request.getEffectiveAt(), "effective_at");
        }
        if (request.hasExpiresAt() && (request.getExpiresAt().getNanos() < 0
                                       || request.getExpiresAt().getNanos() > 999_999_999)) {
            throw invalid("expires_at", "has nanos outside 0..999999999");
        }
        Instant effective = request.hasEffectiveAt() ? ProtoTime.toInstant(request.getEffectiveAt())
                                                     : clock.instant();
        ScoreAdjustment adjustment = new ScoreAdjustment(
                request.getAdjustmentId(), request.getPoints(), request.getPart() == AdjustedPart.ADJUSTED_PART_FIT,
                request.getActor(), request.getReason(), effective,
                request.hasExpiresAt() ? ProtoTime.toInstant(request.getExpiresAt()) : null);
        if (adjustment.expiresAt() != null && !adjustment.expiresAt().isAfter(effective)) {
            throw invalid("expires_at", "must be after effective_at");
        }
        return new AdjustScoreCommand(request.getLeadId(), adjustment);
    }

    /** BANT is checked after the parts every transition has, so a request wrong in both names those first. */
    TransitionLeadCommand acceptLead(AcceptLeadRequest request) {
        validateTransition(request.getLeadId(), request.getActor(), "", "", 0, "");
        Bant bant = bant(request);
        return new TransitionLeadCommand(request.getLeadId(), SalesTransition.ACCEPT, request.getActor(), "", "",
                                         bant, 0, "", clock.instant());
    }

    TransitionLeadCommand rejectLead(RejectLeadRequest request) {
        return transition(request.getLeadId(), SalesTransition.REJECT, request.getActor(), request.getReasonCode(),
                          request.getReason(), 0, "");
    }

    TransitionLeadCommand disqualifyLead(DisqualifyLeadRequest request) {
        return transition(request.getLeadId(), SalesTransition.DISQUALIFY, request.getActor(),
                          request.getReasonCode(), request.getReason(), 0, "");
    }

    TransitionLeadCommand recordOpportunity(RecordOpportunityRequest request) {
        return transition(request.getLeadId(), SalesTransition.OPEN_OPPORTUNITY, request.getActor(), "", "",
                          request.getAmount(), request.getCurrency());
    }

    TransitionLeadCommand closeWon(CloseWonRequest request) {
        return transition(request.getLeadId(), SalesTransition.CLOSE_WON, request.getActor(), "", "",
                          request.getAmount(), request.getCurrency());
    }

    TransitionLeadCommand closeLost(CloseLostRequest request) {
        return transition(request.getLeadId(), SalesTransition.CLOSE_LOST, request.getActor(),
                          request.getReasonCode(), request.getReason(), request.getAmount(), request.getCurrency());
    }

    TransitionLeadCommand reopenLead(ReopenLeadRequest request) {
        return transition(request.getLeadId(), SalesTransition.REOPEN, request.getActor(), "", request.getReason(),
                          0, "");
    }

    /** A registration, alone or as the first part of an imported lead. */
    private void validateRegistration(RegisterLeadRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        String email = request.getEmail();
        if (!email.isEmpty() && (email.length() > 254 || email.indexOf('@') <= 0 || email.endsWith("@"))) {
            throw invalid("email", "must be an e-mail address of at most 254 characters");
        }
        // CR and LF would let an address inject headers wherever it is written into a mail or a CSV.
        if (email.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw invalid("email", "must not contain spaces or control characters such as CR, LF or NUL");
        }
        maxLength(request.getName(), 256, "name");
        maxLength(request.getAccountDomain(), 253, "account_domain");
        maxLength(request.getAccountName(), 256, "account_name");
        maxLength(request.getChannel(), 64, "channel");
        maxLength(request.getCampaign(), 128, "campaign");
        if (request.hasRegisteredAt()) {
            validator.validateTime(request.getRegisteredAt(), "registered_at");
        }
    }

    /**
     * An outcome from another system, alone or in an imported lead: a known outcome, its time, an amount with its
     * currency, the source.
     */
    private void validateOutcome(ImportOutcomeRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        if (request.getOutcome() == Outcome.OUTCOME_UNSPECIFIED || request.getOutcome() == Outcome.UNRECOGNIZED) {
            throw invalid("outcome", "is required: one of SQL, OPPORTUNITY, WON, LOST, DISQUALIFIED");
        }
        if (!request.hasOccurredAt()) {
            throw invalid("occurred_at", "is required: history keeps its own times");
        }
        validator.validateTime(request.getOccurredAt(), "occurred_at");
        if (!request.getSource().matches("[a-z0-9_.-]{1,64}")) {
            throw invalid("source", "must be 1-64 characters of a-z, 0-9, '_', '.' and '-'");
        }
        validateTransitionParts("import", "", "", request.getAmount(), request.getCurrency());
    }

    private static ImportOutcomeCommand outcomeCommand(String leadId, ImportOutcomeRequest request) {
        return new ImportOutcomeCommand(leadId, LeadMessages.toImportedOutcome(request.getOutcome()),
                                        ProtoTime.toInstant(request.getOccurredAt()), request.getAmount(),
                                        request.getCurrency(), request.getSource());
    }

    private RecordEngagementCommand engagementCommand(boolean given, Engagement engagement) {
        if (!given) {
            throw invalid("engagement", "is required");
        }
        validator.validate(engagement, "engagement");
        return new RecordEngagementCommand(engagement.getLeadId(), LeadMessages.toFact(engagement));
    }

    /** A sales transition without BANT. */
    private TransitionLeadCommand transition(String leadId, SalesTransition transition, String actor,
                                             String reasonCode, String reason, long amount, String currency) {
        validateTransition(leadId, actor, reasonCode, reason, amount, currency);
        return new TransitionLeadCommand(leadId, transition, actor, reasonCode, reason, null, amount, currency,
                                         clock.instant());
    }

    private void validateTransition(String leadId, String actor, String reasonCode, String reason, long amount,
                                    String currency) {
        validator.validateLeadId(leadId, "lead_id");
        validateTransitionParts(actor, reasonCode, reason, amount, currency);
    }

    /** The parts every sales transition has, and an imported outcome too. */
    private static void validateTransitionParts(String actor, String reasonCode, String reason, long amount,
                                                String currency) {
        if (actor.isBlank() || actor.length() > 128) {
            throw invalid("actor", "must be 1-128 characters");
        }
        if (!reasonCode.matches("[a-z0-9_]{0,64}")) {
            throw invalid("reason_code", "must be at most 64 characters of a-z, 0-9 and '_'");
        }
        maxLength(reason, 1024, "reason");
        if (amount < 0) {
            throw invalid("amount", "must not be negative");
        }
        if (amount > 0 && currency.isEmpty()) {
            throw invalid("currency", "must be an ISO 4217 code such as EUR when an amount is given");
        }
        if (!currency.isEmpty()) {
            RequestValidator.validateCurrency(currency, "currency");
        }
    }

    /** BANT on acceptance: all four are required, each at most 256 characters. */
    private static Bant bant(AcceptLeadRequest request) {
        if (!request.hasBant()) {
            throw invalid("bant", "is required to accept a lead");
        }
        io.leadscore.v1.Bant bant = request.getBant();
        String[][] parts = {{"budget", bant.getBudget()}, {"authority", bant.getAuthority()},
                            {"need", bant.getNeed()}, {"timeline", bant.getTimeline()}};
        for (String[] part : parts) {
            if (part[1].isBlank() || part[1].length() > 256) {
                throw invalid("bant." + part[0], "must be 1-256 characters");
            }
        }
        return new Bant(bant.getBudget(), bant.getAuthority(), bant.getNeed(), bant.getTimeline());
    }

    private static void sameLead(String leadId, String given, String field) {
        if (!given.equals(leadId)) {
            throw invalid(field, "must be the registration's lead_id '" + leadId + "'");
        }
    }
}
