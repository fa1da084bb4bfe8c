package io.leadscore.server.lead.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Records an SLA breach if the lead is still an unanswered MQL past the model's SLA at {@code now}. */
public record CheckSlaCommand(@TargetAggregateIdentifier String leadId, Instant now) {
}
