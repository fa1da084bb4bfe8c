package io.leadscore.server.lead.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Records an outcome decided in another system; repeating the same outcome at the same time changes nothing. */
public record ImportOutcomeCommand(@TargetAggregateIdentifier String leadId,
                                   ImportedOutcome outcome,
                                   Instant occurredAt,
                                   long amount,
                                   String currency,
                                   String source) {

    public OutcomeImported toEvent() {
        return new OutcomeImported(leadId, outcome, occurredAt, amount, currency, source);
    }
}
