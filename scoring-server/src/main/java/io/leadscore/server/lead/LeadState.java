package io.leadscore.server.lead;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.LeadErased;
import io.leadscore.server.lead.api.LeadEvent;
import io.leadscore.server.lead.api.LeadInformationQualified;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.privacy.PersonalDataOwner;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.LeadRestaged;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.LeadTransitioned;
import io.leadscore.server.lead.api.OutcomeImported;
import io.leadscore.server.lead.api.ProfileUpdated;
import io.leadscore.server.lead.api.ScoreAdjusted;
import io.leadscore.server.lead.api.SlaBreached;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTally;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreAdjustment;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.ScoringModel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A lead folded from its events: the one place that says what each event means. The {@link Lead} aggregate and the
 * score projection both fold with it, so both compute the same facts and hence the same score.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class LeadState implements PersonalDataOwner {

    private String leadId;
    private LeadRegistered registration;
    /** Every profile with the time it was observed; the one observed last is the lead's profile. */
    private List<ProfileUpdated> profileHistory = new ArrayList<>();
    private List<EngagementFact> engagements = new ArrayList<>();
    /**
     * The engagements' ids, for the aggregate's duplicate check: built on first use, because the projection and
     * replays never ask and a set entry per engagement is a tenth of a folded lead's memory.
     */
    @JsonIgnore
    private Set<String> engagementIds;
    /**
     * The engagements that count, as the model keeps them to score the lead at a cost that does not grow with its
     * history; built from the engagements on first use (after a snapshot, a model change or an engagement that came
     * before one already tallied), never stored.
     */
    @JsonIgnore
    private transient EngagementTally tally;
    private List<ScoreAdjustment> adjustments = new ArrayList<>();
    private LeadStage stage;
    /** When the lead became an MQL in its current cycle (a recycle starts a new one), or null. */
    private Instant mqlAt;
    /** When the SLA of the current MQL cycle was breached, or null. */
    private Instant slaBreachedAt;
    /** Engagement before this time no longer counts (a recycle under a resetting model), or null. */
    private Instant engagementResetAt;
    /** When the lead last entered RECYCLED, or null: requalifying needs engagement earned since. */
    private Instant recycledAt;
    /** Every stage the lead entered, with when: qualifications and sales transitions, in stored order. */
    private List<StageEntry> stageHistory = new ArrayList<>();
    /** Outcomes imported from other systems, in stored order. */
    private List<OutcomeImported> importedOutcomes = new ArrayList<>();
    /** The sales transitions, in stored order. */
    private List<LeadTransitioned> transitions = new ArrayList<>();
    /** The score after the last fact, as of that fact's time. */
    private ScoreCard score;
    private Instant lastChangedAt;
    private long version = -1;
    /** When the lead's personal data was erased, or null. */
    private Instant erasedAt;

    /**
     * Where the lead's stages come from. Live, a stage is what was recorded: a qualification, a sales decision, an
     * import or a model change, each an event; publishing another model never rewrites them. A replay that asks
     * "what would this model have done" instead derives the automatic stages from the facts under the model it
     * replays, and leaves out the qualifications other models recorded.
     */
    public enum Stages { RECORDED, DERIVED }

    /**
     * The version of what this fold makes of the same events; stored folds of another version (aggregate
     * snapshots, score rows) are refolded from the events. 2: stages are the recorded ones (before, a fold derived
     * them under the active model), recycles are remembered, score rows carry their ceiling.
     */
    public static final int FOLD_FORMAT = 2;

    private Stages stages = Stages.RECORDED;

    /** A lead whose stages are the recorded ones: the aggregate, the score projection and history queries. */
    public LeadState() {
    }

    /** A lead whose automatic stages are derived from its facts by the model it is folded under: replays. */
    public static LeadState derivingStages() {
        LeadState state = new LeadState();
        state.stages = Stages.DERIVED;
        return state;
    }

    /**
     * Applies one stored event with its sequence number and scores the lead with {@code model}. Stages follow the
     * recorded decisions, or, when deriving, what {@link #automaticAdvance} says after every fact.
     */
    public void apply(LeadEvent event, long sequenceNumber, ScoringModel model) {
        boolean fact = true;
        if (event instanceof LeadRegistered registered) {
            leadId = registered.leadId();
            registration = registered;
            stage = LeadStage.LEAD;
            touch(registered.registeredAt());
            stageHistory.add(new StageEntry(registered.registeredAt(), stage, "REGISTRATION", null, 0, "", null));
        } else if (event instanceof ProfileUpdated updated) {
            profileHistory.add(updated);
            touch(updated.updatedAt());
        } else if (event instanceof EngagementRecorded recorded) {
            EngagementFact engagement = sharingSession(recorded.engagement());
            engagements.add(engagement);
            if (engagementIds != null) {
                engagementIds.add(engagement.eventId());
            }
            if (tally != null && counts(engagement) && !tally.add(engagement)) {
                tally = null; // it came before one already tallied: tally them all again, in time order
            }
            touch(recorded.engagement().occurredAt());
        } else if (event instanceof ScoreAdjusted adjusted) {
            adjustments.add(adjusted.adjustment());
            touch(adjusted.adjustment().effectiveAt());
        } else if (event instanceof SlaBreached breached) {
            fact = false;
            // A breach belongs to the MQL cycle it was found in; a cycle since ended keeps none.
            if (stage == LeadStage.MQL && breached.mqlAt().equals(mqlAt)) {
                slaBreachedAt = breached.breachedAt();
            }
        } else if (event instanceof LeadTransitioned transitioned) {
            fact = false;
            transitions.add(transitioned);
            enter(transitioned.to(), transitioned.at(), transitioned.transition().name(), transitioned,
                  transitioned.totalScore(), transitioned.modelVersion(), null);
            if (stage == LeadStage.RECYCLED && transitioned.engagementReset()) {
                engagementResetAt = transitioned.at();
                tally = null; // the engagements before the reset no longer count
                score = scoreNow(model);
            }
            if (stages == Stages.DERIVED && stage == LeadStage.LEAD) {
                advance(model, transitioned.at(), "MODEL");
            }
        } else if (event instanceof LeadInformationQualified qualified) {
            fact = false;
            if (stages == Stages.RECORDED) {
                enter(LeadStage.IQL, qualified.qualifiedAt(), "MODEL", null, qualified.totalScore(),
                      qualified.modelVersion(), null);
            }
        } else if (event instanceof LeadQualified qualified) {
            fact = false;
            if (stages == Stages.RECORDED) {
                enter(LeadStage.MQL, qualified.qualifiedAt(), "MODEL", null, qualified.totalScore(),
                      qualified.modelVersion(), null);
            }
        } else if (event instanceof LeadRestaged restaged) {
            fact = false;
            if (stages == Stages.RECORDED) {
                enter(restaged.to(), restaged.at(), "MODEL_CHANGE", null, restaged.totalScore(),
                      restaged.modelVersion(), restaged.previousModelVersion());
            }
        } else if (event instanceof LeadErased erased) {
            fact = false;
            erasedAt = erased.at();
            forgetPersonalData();
            // The job title is gone: from now on the lead scores as a rebuild from its events will score it.
            if (registration != null) {
                score = scoreNow(model);
            }
        } else if (event instanceof OutcomeImported imported) {
            fact = false;
            importedOutcomes.add(imported);
            LeadStage entered = imported.outcome().stage();
            // History may arrive out of order (a CRM export's rows): only the latest decision sets the stage.
            boolean latest = stageHistory.stream().filter(entry -> !entry.cause().equals("REGISTRATION"))
                                         .noneMatch(entry -> entry.at().isAfter(imported.occurredAt()));
            // Another system decided it: no score or model of ours stood behind it.
            StageEntry entry = new StageEntry(imported.occurredAt(), entered, "IMPORT", null, 0, "", null);
            if (latest) {
                enter(entry);
            } else {
                stageHistory.add(entry);
            }
        } else {
            fact = false;
        }
        version = sequenceNumber;
        if (fact && registration != null) {
            score = scoreNow(model);
            if (stages == Stages.DERIVED) {
                advance(model, lastChangedAt, "MODEL");
            }
        }
    }

    /** Enters a stage: the current stage, its MQL cycle and SLA mark follow it, and the history records it. */
    private void enter(LeadStage to, Instant at, String cause, LeadTransitioned transition, double totalScore,
                       String modelVersion, String previousModelVersion) {
        enter(new StageEntry(at, to, cause, transition, totalScore, modelVersion, previousModelVersion));
    }

    private void enter(StageEntry entry) {
        stage = entry.stage();
        stageHistory.add(entry);
        slaBreachedAt = null;
        mqlAt = LeadSnapshot.mqlAtAfter(stage, entry.at(), mqlAt);
        if (stage == LeadStage.RECYCLED) {
            recycledAt = entry.at();
        }
    }

    /** Derives the automatic stages the model gives the lead at {@code at} (replays only). */
    private void advance(ScoringModel model, Instant at, String cause) {
        for (LeadStage next = automaticAdvance(model, at); next != null; next = automaticAdvance(model, at)) {
            enter(next, at, cause, null, score.total(), score.modelVersion(), null);
        }
    }

    /**
     * The stage the model moves the lead to automatically at {@code at}, or null: IQL once the fields the model
     * requires are known, MQL once its rule holds. Automatic transitions only move forward. A recycled lead (sales
     * rejected it, or its deal was lost) requalifies only on engagement earned after the recycle, unless the
     * model's cool-down has passed, after which everything it earned counts again. The aggregate records what this
     * answers; a deriving replay applies it directly, so both decide alike.
     */
    public LeadStage automaticAdvance(ScoringModel model, Instant at) {
        if (registration == null || erasedAt != null || score == null) {
            return null;
        }
        if ((stage == LeadStage.SUBSCRIBER || stage == LeadStage.LEAD) && model.informationQualified(facts())) {
            return LeadStage.IQL;
        }
        if (mqlAt == null && stage.qualifiesAutomatically() && qualifiesForMql(model, at)) {
            return LeadStage.MQL;
        }
        return null;
    }

    /** Where the automatic stages lead in one step: MQL for a lead that would pass IQL and qualify, else as above. */
    public LeadStage automaticDestination(ScoringModel model, Instant at) {
        LeadStage next = automaticAdvance(model, at);
        return next == LeadStage.IQL && mqlAt == null && scoreUnder(model).qualifies() ? LeadStage.MQL : next;
    }

    private boolean qualifiesForMql(ScoringModel model, Instant at) {
        ScoreCard card = scoreUnder(model);
        if (stage != LeadStage.RECYCLED || recycledAt == null) {
            return card.qualifies();
        }
        java.time.Duration coolDown = model.recycleCoolDown();
        if (coolDown != null && !at.isBefore(recycledAt.plus(coolDown))) {
            return card.qualifies(); // the cool-down has passed: everything the lead earned counts again
        }
        return model.score(factsCountingEngagementFrom(recycledAt), lastChangedAt).qualifies();
    }

    /** The lead's score after its last fact under {@code model}: the folded one when that model folded it. */
    public ScoreCard scoreUnder(ScoringModel model) {
        if (score != null && score.modelVersion().equals(model.version())) {
            return score;
        }
        return scoreNow(model);
    }

    /** The score as of the latest fact, from the tally of the engagements that count. */
    private ScoreCard scoreNow(ScoringModel model) {
        return model.score(facts(), tallied(model), lastChangedAt);
    }

    /** The tally of the engagements that count under {@code model}, built from them when there is none. */
    private EngagementTally tallied(ScoringModel model) {
        if (tally == null || !model.keeps(tally)) {
            EngagementTally rebuilt = model.newTally();
            engagements.stream().filter(this::counts).sorted(EngagementTally.TIME_ORDER).forEach(rebuilt::add);
            tally = rebuilt;
        }
        return tally;
    }

    /** Whether an engagement counts: not earned before a recycle that reset the lead's engagement. */
    private boolean counts(EngagementFact engagement) {
        return engagementResetAt == null || !engagement.occurredAt().isBefore(engagementResetAt);
    }

    /**
     * The row after {@code event} when the event changes no fact or score, so a lead that is not folded in memory
     * needs no fold to take it (an SLA breach, or a recorded qualification or model change); null when the event
     * needs the fold. Must say what {@link #apply} says for these events.
     */
    public static LeadSnapshot withoutFold(LeadSnapshot row, LeadEvent event, long sequenceNumber) {
        if (event instanceof SlaBreached breached) {
            boolean ofThisCycle = row.stage() == LeadStage.MQL && breached.mqlAt().equals(row.mqlAt());
            return row.at(sequenceNumber, ofThisCycle ? breached.breachedAt() : row.slaBreachedAt());
        }
        if (event instanceof LeadQualified qualified) {
            return row.entering(sequenceNumber, LeadStage.MQL, qualified.qualifiedAt());
        }
        if (event instanceof LeadInformationQualified qualified) {
            return row.entering(sequenceNumber, LeadStage.IQL, qualified.qualifiedAt());
        }
        if (event instanceof LeadRestaged restaged) {
            return row.entering(sequenceNumber, restaged.to(), restaged.at());
        }
        return null;
    }

    /** How far back a new engagement looks for an earlier one of its session. */
    private static final int SESSION_LOOKBACK = 8;

    /**
     * The engagement holding the same session id instance as a recent engagement of its session: a session's
     * engagements arrive together, and each read from the store brings its own copy of the id.
     */
    private EngagementFact sharingSession(EngagementFact engagement) {
        String session = engagement.sessionId();
        if (session == null || session.isEmpty()) {
            return engagement;
        }
        for (int i = engagements.size() - 1; i >= Math.max(0, engagements.size() - SESSION_LOOKBACK); i--) {
            String earlier = engagements.get(i).sessionId();
            if (earlier == session) {
                return engagement;
            }
            if (session.equals(earlier)) {
                return engagement.withSessionId(earlier);
            }
        }
        return engagement;
    }

    /**
     * A stage the lead entered, when, and why.
     *
     * @param cause                REGISTRATION, MODEL (the model's IQL or MQL rule held), MODEL_CHANGE (a publish
     *                             moved the stage), IMPORT (an outcome from another system) or a
     *                             {@code SalesTransition} name
     * @param transition           the sales transition, or null
     * @param totalScore           the total score recorded with it (0 for registrations and imports)
     * @param modelVersion         the model recorded with it ("" for registrations and imports)
     * @param previousModelVersion on a model change, the model active before; else null
     */
    public record StageEntry(Instant at, LeadStage stage, String cause, LeadTransitioned transition,
                             double totalScore, String modelVersion, String previousModelVersion) {
    }

    /**
     * When a fact (an event scores read) happened, by its own clock; null for events that record decisions or
     * derived states instead. Replays use it to leave out facts after a window.
     */
    public static Instant factTime(Object event) {
        if (event instanceof LeadRegistered registered) {
            return registered.registeredAt();
        } else if (event instanceof ProfileUpdated updated) {
            return updated.updatedAt();
        } else if (event instanceof EngagementRecorded recorded) {
            return recorded.engagement().occurredAt();
        } else if (event instanceof ScoreAdjusted adjusted) {
            return adjusted.adjustment().effectiveAt();
        }
        return null;
    }


    private void touch(Instant factTime) {
        if (lastChangedAt == null || factTime.isAfter(lastChangedAt)) {
            lastChangedAt = factTime;
        }
    }

    /**
     * Replaces every personal value held in memory by the erased marker, so that a lead folded before its erasure
     * (in the command cache) shows nothing more than one read back from the store.
     */
    private void forgetPersonalData() {
        registration = registration == null ? null : registration.erased();
        profileHistory.replaceAll(ProfileUpdated::erased);
        adjustments.replaceAll(ScoreAdjustment::erased);
        transitions.replaceAll(LeadTransitioned::erased);
        stageHistory.replaceAll(entry -> entry.transition() == null ? entry
                : new StageEntry(entry.at(), entry.stage(), entry.cause(), entry.transition().erased(),
                                 entry.totalScore(), entry.modelVersion(), entry.previousModelVersion()));
    }

    @Override
    public String leadId() {
        return leadId;
    }

    /** When the lead's personal data was erased, or null. */
    public Instant erasedAt() {
        return erasedAt;
    }

    public boolean isRegistered() {
        return registration != null;
    }

    public LeadRegistered registration() {
        return registration;
    }

    public boolean hasAdjustment(String adjustmentId) {
        return adjustments.stream().anyMatch(a -> a.adjustmentId().equals(adjustmentId));
    }

    /** Whether the same outcome at the same time was imported already. */
    public boolean hasImportedOutcome(OutcomeImported outcome) {
        return importedOutcomes.stream().anyMatch(o -> o.outcome() == outcome.outcome()
                                                       && o.occurredAt().equals(outcome.occurredAt()));
    }

    /** Whether this very profile, observed at this very time, is stored already (a retried or repeated import). */
    public boolean hasProfile(ProfileUpdated update) {
        return profileHistory.stream().anyMatch(p -> p.updatedAt().equals(update.updatedAt())
                                                     && p.profile().equals(update.profile()));
    }

    public boolean hasEngagement(String eventId) {
        if (engagementIds == null) {
            engagementIds = new HashSet<>();
            engagements.forEach(engagement -> engagementIds.add(engagement.eventId()));
        }
        return engagementIds.contains(eventId);
    }

    public LeadStage stage() {
        return stage;
    }

    public long version() {
        return version;
    }

    /** The model that scored the lead's last fact, or null before its first. */
    public String scoredBy() {
        return score == null ? null : score.modelVersion();
    }

    /** The facts the scoring model reads: the profile observed last, whatever order updates arrived in. */
    public LeadFacts facts() {
        return factsAsOf(Instant.MAX);
    }

    /**
     * The facts as they were known at {@code asOf}: the profile last observed by then (engagements are filtered
     * by the model itself).
     */
    public LeadFacts factsAsOf(Instant asOf) {
        FitProfile asOfProfile = FitProfile.EMPTY;
        Instant observed = null;
        for (ProfileUpdated update : profileHistory) {
            if (!update.updatedAt().isAfter(asOf) && (observed == null || !update.updatedAt().isBefore(observed))) {
                asOfProfile = update.profile();
                observed = update.updatedAt();
            }
        }
        return facts(asOfProfile);
    }

    /** The facts with only the engagement that happened at or after {@code from}. */
    private LeadFacts factsCountingEngagementFrom(Instant from) {
        FitProfile profile = facts().profile();
        Instant since = engagementResetAt == null || from.isAfter(engagementResetAt) ? from : engagementResetAt;
        return facts(profile, since);
    }

    private LeadFacts facts(FitProfile fitProfile) {
        return facts(fitProfile, engagementResetAt);
    }

    private LeadFacts facts(FitProfile fitProfile, Instant engagementFrom) {
        String emailDomain = registration == null ? "" : registration.emailDomain();
        String accountDomain = registration == null ? "" : registration.accountDomain();
        List<EngagementFact> counted = engagementFrom == null ? Collections.unmodifiableList(engagements)
                : engagements.stream().filter(e -> !e.occurredAt().isBefore(engagementFrom)).toList();
        return new LeadFacts(emailDomain, accountDomain, fitProfile, counted,
                             Collections.unmodifiableList(adjustments),
                             registration == null ? "" : registration.channel(),
                             registration == null ? "" : registration.campaign());
    }

    /**
     * The lead's score and stage after its last fact. Scores are computed as of the lead's latest fact, so a replay
     * computes exactly what the live path computed.
     */
    public LeadSnapshot snapshot() {
        return new LeadSnapshot(leadId, score, stage, lastChangedAt, version, mqlAt,
                                registration == null ? "" : registration.channel(),
                                registration == null ? "" : registration.accountDomain(), slaBreachedAt);
    }

    /**
     * The lead as of a past or future time: the score from the facts known then, the stage it had reached by
     * then. Unlike {@link #snapshot}, decay and windows run up to {@code asOf}.
     */
    public ScoreExplanation explainAsOf(ScoringModel model, Instant asOf) {
        return explainAsOf(model, asOf, true);
    }

    /**
     * Leads with more engagements than this are explained in sums, one line per rule, from their latest fact on:
     * a line per engagement would cost time and bytes in proportion to their history.
     */
    public static final int MAX_ENGAGEMENT_LINES = 1_000;

    /**
     * The score as of {@code asOf} with its lines. From the lead's latest fact on, a lead with more than {@link
     * #MAX_ENGAGEMENT_LINES} engagements is explained in sums (each rule's engagements in one line, from the tally,
     * at a cost that does not grow with them) unless {@code everyEngagement} asks for a line each.
     */
    public ScoreExplanation explainAsOf(ScoringModel model, Instant asOf, boolean everyEngagement) {
        if (!everyEngagement && engagements.size() > MAX_ENGAGEMENT_LINES && knowsEverythingBy(asOf)) {
            return model.explainInSums(facts(), tallied(model), asOf);
        }
        ScoreExplanation explained = model.explain(factsAsOf(asOf), asOf);
        if (!knowsEverythingBy(asOf)) {
            return explained;
        }
        // The lines come from the full fold; the score is the one GetScore shows (they agree to rounding).
        return new ScoreExplanation(explained.modelVersion(), asOf, explained.lines(), scoreAsOf(model, asOf).card());
    }

    /**
     * Like {@link #explainAsOf}, the score alone: an explanation without lines. From the latest fact on, the tally
     * scores it at a cost that does not grow with the lead's history; before, the full fold of the facts known then.
     */
    public ScoreExplanation scoreAsOf(ScoringModel model, Instant asOf) {
        ScoreCard card = knowsEverythingBy(asOf) ? model.score(facts(), tallied(model), asOf)
                : model.score(factsAsOf(asOf), asOf);
        return new ScoreExplanation(card.modelVersion(), asOf, List.of(), card);
    }

    /** Whether every fact of the lead happened by {@code asOf}, so that the facts as of then are all of them. */
    private boolean knowsEverythingBy(Instant asOf) {
        return registration != null && lastChangedAt != null && !asOf.isBefore(lastChangedAt);
    }

    /** The stage the lead was in at {@code asOf}: the last stage it entered by then. */
    public LeadStage stageAsOf(Instant asOf) {
        if (stageHistory.stream().noneMatch(entry -> entry.at().isAfter(asOf))) {
            // Nothing recorded after: the current stage, which an outcome imported out of order does not set.
            return stage == null ? LeadStage.LEAD : stage;
        }
        LeadStage at = LeadStage.LEAD;
        for (StageEntry entry : stageHistory) {
            if (!entry.at().isAfter(asOf)) {
                at = entry.stage();
            }
        }
        return at;
    }

    public List<StageEntry> stageHistory() {
        return Collections.unmodifiableList(stageHistory);
    }

    public List<LeadTransitioned> transitions() {
        return Collections.unmodifiableList(transitions);
    }

    public Instant slaBreachedAt() {
        return slaBreachedAt;
    }

    public Instant mqlAt() {
        return mqlAt;
    }

    public Instant registeredAt() {
        return registration == null ? null : registration.registeredAt();
    }

    public Instant lastChangedAt() {
        return lastChangedAt;
    }
}
