package io.leadscore.server.lead.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Asks for a named sales transition; refused when the lead's stage does not allow it. */
public record TransitionLeadCommand(@TargetAggregateIdentifier String leadId,
                                    SalesTransition transition,
                                    String actor,
                                    String reasonCode,
                                    String reason,
                                    Bant bant,
                                    long amount,
                                    String currency,
                                    Instant at) {
}
