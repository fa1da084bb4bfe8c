package io.leadscore.server.readside;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.LeadEvent;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.ScoringModel;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.time.Instant;

/**
 * Answers questions about a lead at any time from its own events (exact-key reads, never snapshots): its score as
 * of now or any other time, and why. Folded leads are cached and brought up to date by reading only the events
 * stored since, so asking "as of now" stays cheap while decay and windows stay honest.
 */
public final class LeadHistory {

    private final EventStorageEngine events;
    private final ScoringModel model;
    private final LeadFolds folds;

    /** History with folds of its own (no projection beside it). */
    public LeadHistory(EventStorageEngine events, ScoringModel model, int cachedLeads) {
        this(events, model, new LeadFolds(cachedLeads));
    }

    /**
     * Reads and extends the folds it shares with the score projection: a lead the projection has folded up to the
     * version asked for costs no store read, and no lead is held twice.
     */
    public LeadHistory(EventStorageEngine events, ScoringModel model, LeadFolds folds) {
        this.events = events;
        this.model = model;
        this.folds = folds;
    }

    /** A lead's score and its explanation as of a time. */
    public record ExplainedLead(LeadSnapshot lead, ScoreExplanation explanation) {

        public Instant asOf() {
            return explanation.asOf();
        }
    }

    /** Explains the score as of {@code asOf}, or, when null, as of the lead's latest fact. */
    public ExplainedLead explain(String leadId, Instant asOf) {
        return explain(leadId, asOf, Long.MAX_VALUE);
    }

    /** The score alone (no lines) as of {@code asOf}, or, when null, as of the lead's latest fact. */
    public ExplainedLead score(String leadId, Instant asOf) {
        return score(leadId, asOf, Long.MAX_VALUE);
    }

    /**
     * Like {@link #explain(String, Instant)}, trusting a cached fold that has reached {@code knownVersion} (the
     * projection's version of the lead) without asking the store: the common case costs no I/O.
     */
    public ExplainedLead explain(String leadId, Instant asOf, long knownVersion) {
        return read(leadId, asOf, knownVersion, Detail.EVERY_LINE);
    }

    /**
     * Explains the score as of {@code asOf} (the latest fact when null); a lead with a long history in sums, one
     * line per rule, unless {@code everyEngagement} (see {@link LeadState#explainAsOf(ScoringModel, Instant,
     * boolean)}).
     */
    public ExplainedLead explain(String leadId, Instant asOf, boolean everyEngagement) {
        return read(leadId, asOf, Long.MAX_VALUE, everyEngagement ? Detail.EVERY_LINE : Detail.SUMS_WHEN_LONG);
    }

    /** How much of an explanation a read builds. */
    private enum Detail {
        /** The score alone. */
        SCORE,
        /** Every line; a long history in sums. */
        SUMS_WHEN_LONG,
        /** Every line of every engagement. */
        EVERY_LINE
    }

    /**
     * Like {@link #explain(String, Instant, long)} without the explanation's lines: the same score, for callers
     * that show only the score (GetScore, watches), at a fraction of the cost.
     */
    public ExplainedLead score(String leadId, Instant asOf, long knownVersion) {
        return read(leadId, asOf, knownVersion, Detail.SCORE);
    }

    private ExplainedLead read(String leadId, Instant asOf, long knownVersion, Detail detail) {
        LeadState lead = upToDate(leadId, knownVersion);
        synchronized (lead) {
            return explain(leadId, lead, asOf, detail);
        }
    }

    private ExplainedLead explain(String leadId, LeadState state, Instant asOf, Detail detail) {
        Instant at = asOf == null ? state.lastChangedAt() : asOf;
        if (at.isBefore(state.registeredAt())) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "as_of",
                                         "the lead was registered later, at " + state.registeredAt());
        }
        ScoreExplanation explanation = detail == Detail.SCORE ? state.scoreAsOf(model, at)
                : state.explainAsOf(model, at, detail == Detail.EVERY_LINE);
        LeadSnapshot current = state.snapshot();
        Instant lastFact = state.lastChangedAt().isAfter(at) ? at : state.lastChangedAt();
        LeadSnapshot snapshot = new LeadSnapshot(leadId, explanation.card(), state.stageAsOf(at), lastFact,
                                                 current.version(),
                                                 state.mqlAt() != null && !state.mqlAt().isAfter(at)
                                                         ? state.mqlAt() : null,
                                                 current.channel(), current.accountDomain(),
                                                 state.slaBreachedAt());
        return new ExplainedLead(snapshot, explanation);
    }

    /** The lead's facts as known at {@code asOf}. */
    public io.leadscore.server.scoring.LeadFacts factsAsOf(String leadId, Instant asOf, long knownVersion) {
        LeadState lead = upToDate(leadId, knownVersion);
        synchronized (lead) {
            return lead.factsAsOf(asOf);
        }
    }

    /** Every stage the lead entered, oldest first, with its cause. */
    public java.util.List<LeadState.StageEntry> stageHistory(String leadId) {
        LeadState lead = upToDate(leadId, Long.MAX_VALUE);
        synchronized (lead) {
            return java.util.List.copyOf(lead.stageHistory());
        }
    }

    /**
     * The lead's fold, having reached {@code knownVersion} (Long.MAX_VALUE: everything stored): the shared fold,
     * extended by the events stored since where it has not; a new one when none is held or it was folded under
     * another model.
     */
    private LeadState upToDate(String leadId, long knownVersion) {
        LeadState held = folds.get(leadId);
        if (held != null) {
            synchronized (held) {
                if (underActiveModel(held)) {
                    if (!held.isRegistered() || held.version() < knownVersion) {
                        extend(held, leadId);
                    }
                    if (held.isRegistered()) {
                        return held;
                    }
                }
            }
        }
        LeadState fresh = new LeadState();
        synchronized (fresh) {
            extend(fresh, leadId);
            if (!fresh.isRegistered()) {
                throw new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "lead_id", "no lead with this id is registered");
            }
        }
        if (held != null && !underActiveModel(held)) {
            folds.put(leadId, fresh); // a fold of the model before is of no use to anyone any more
        } else {
            folds.offer(leadId, fresh);
        }
        return fresh;
    }

    /** A fold not yet scored (nothing applied) or scored by the model now active. */
    private boolean underActiveModel(LeadState fold) {
        return fold.scoredBy() == null || fold.scoredBy().equals(model.version());
    }

    /** Applies the lead's events stored after the fold's version (under the fold's lock). */
    private void extend(LeadState fold, String leadId) {
        DomainEventStream stream = events.readEvents(leadId, fold.version() + 1);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getSequenceNumber() > fold.version()) {
                fold.apply((LeadEvent) event.getPayload(), event.getSequenceNumber(), model);
            }
        }
    }
}
