package io.leadscore.server.readside;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
    private final Cache<String, Folded> folded;
    private final FoldSource folds;

    public LeadHistory(EventStorageEngine events, ScoringModel model, int cachedLeads) {
        this(events, model, cachedLeads, FoldSource.NONE);
    }

    /** Reads leads that {@code folds} holds up to date from there: no store read, no second copy. */
    public LeadHistory(EventStorageEngine events, ScoringModel model, int cachedLeads, FoldSource folds) {
        this.events = events;
        this.model = model;
        this.folded = Caffeine.newBuilder().maximumSize(cachedLeads).build();
        this.folds = folds;
    }

    /** A lead's score and its explanation as of a time. */
    public record ExplainedLead(LeadSnapshot lead, ScoreExplanation explanation) {

        public Instant asOf() {
            return explanation.asOf();
        }
    }

    /** A lead folded under one model version; readers take its lock while folding or scoring. */
    private static final class Folded {
        private final String modelVersion;
        private final LeadState state = new LeadState();

        Folded(String modelVersion) {
            this.modelVersion = modelVersion;
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
        return read(leadId, asOf, knownVersion, true);
    }

    /**
     * Like {@link #explain(String, Instant, long)} without the explanation's lines: the same score, for callers
     * that show only the score (GetScore, watches), at a fraction of the cost.
     */
    public ExplainedLead score(String leadId, Instant asOf, long knownVersion) {
        return read(leadId, asOf, knownVersion, false);
    }

    private ExplainedLead read(String leadId, Instant asOf, long knownVersion, boolean withLines) {
        // A fold never reaches Long.MAX_VALUE, so "the latest, from the store" never comes from the projection.
        java.util.Optional<ExplainedLead> shared = folds.readFold(leadId, knownVersion,
                                                                  state -> explain(leadId, state, asOf, withLines));
        if (shared.isPresent()) {
            return shared.get();
        }
        Folded lead = upToDate(leadId, knownVersion);
        synchronized (lead) {
            return explain(leadId, lead.state, asOf, withLines);
        }
    }

    private ExplainedLead explain(String leadId, LeadState state, Instant asOf, boolean withLines) {
        Instant at = asOf == null ? state.lastChangedAt() : asOf;
        if (at.isBefore(state.registeredAt())) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "as_of",
                                         "the lead was registered later, at " + state.registeredAt());
        }
        ScoreExplanation explanation = withLines ? state.explainAsOf(model, at) : state.scoreAsOf(model, at);
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
        Folded lead = upToDate(leadId, knownVersion);
        synchronized (lead) {
            return lead.state.factsAsOf(asOf);
        }
    }

    /** Every stage the lead entered, oldest first, with its cause. */
    public java.util.List<LeadState.StageEntry> stageHistory(String leadId) {
        Folded lead = upToDate(leadId, Long.MAX_VALUE);
        synchronized (lead) {
            return java.util.List.copyOf(lead.state.stageHistory());
        }
    }

    /** The cached fold of the lead, extended by any events stored since; refolded after a model change. */
    private Folded upToDate(String leadId, long knownVersion) {
        String version = model.version();
        Folded lead = folded.get(leadId, id -> new Folded(version));
        if (!lead.modelVersion.equals(version)) {
            lead = new Folded(version);
            folded.put(leadId, lead);
        }
        synchronized (lead) {
            if (lead.state.isRegistered() && lead.state.version() >= knownVersion) {
                return lead;
            }
            DomainEventStream stream = events.readEvents(leadId, lead.state.version() + 1);
            while (stream.hasNext()) {
                DomainEventMessage<?> event = stream.next();
                lead.state.apply((LeadEvent) event.getPayload(), event.getSequenceNumber(), model);
            }
            if (!lead.state.isRegistered()) {
                folded.invalidate(leadId);
                throw new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "lead_id", "no lead with this id is registered");
            }
        }
        return lead;
    }
}
