package io.leadscore.server.lead.api;

import io.leadscore.server.scoring.EngagementFact;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records one engagement of a lead; a repeated event id is a duplicate. */
public record RecordEngagementCommand(@TargetAggregateIdentifier String leadId, EngagementFact engagement) {
}
