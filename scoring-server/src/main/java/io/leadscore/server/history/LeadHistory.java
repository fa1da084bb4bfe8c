package io.leadscore.server.history;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.ScoringModel;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.time.Instant;

/**
 * Answers questions about a lead's past from its own events (exact-key reads, never snapshots, so the answer is
 * the history itself): its score as of any time, and why.
 */
public final class LeadHistory {

    private final EventStorageEngine events;
    private final ScoringModel model;

    public LeadHistory(EventStorageEngine events, ScoringModel model) {
        this.events = events;
        this.model = model;
    }

    /** A lead's score and its explanation as of a time. */
    public record ExplainedLead(LeadSnapshot lead, ScoreExplanation explanation) {

        public Instant asOf() {
            return explanation.asOf();
        }
    }

    /** Explains the score as of {@code asOf}, or, when null, the current score (as of the lead's latest fact). */
    public ExplainedLead explain(String leadId, Instant asOf) {
        LeadState state = fold(leadId);
        Instant at = asOf == null ? state.lastChangedAt() : asOf;
        if (at.isBefore(state.registeredAt())) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "as_of",
                                         "the lead was registered later, at " + state.registeredAt());
        }
        ScoreExplanation explanation = state.explainAsOf(model, at);
        LeadSnapshot current = state.snapshot();
        Instant lastFact = state.lastChangedAt().isAfter(at) ? at : state.lastChangedAt();
        LeadSnapshot lead = new LeadSnapshot(leadId, explanation.card(), state.stageAsOf(at), lastFact, current.version(),
                                             state.mqlAt() != null && !state.mqlAt().isAfter(at) ? state.mqlAt() : null,
                                             current.channel(), current.accountDomain());
        return new ExplainedLead(lead, explanation);
    }

    private LeadState fold(String leadId) {
        LeadState state = new LeadState();
        DomainEventStream stream = events.readEvents(leadId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            state.apply(event.getPayload(), event.getSequenceNumber(), model);
        }
        if (!state.isRegistered()) {
            throw new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "lead_id", "no lead with this id is registered");
        }
        return state;
    }
}
