package io.leadscore.server.lead.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Erases a lead's personal data (GDPR Art. 17): idempotent. */
public record EraseLeadCommand(@TargetAggregateIdentifier String leadId, String actor, Instant at) {
}
