package io.leadscore.server.lead.api;

import io.leadscore.server.scoring.EngagementFact;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Records several engagements of one lead, in order, in one command: what a stream sends for a lead while that
 * lead's previous command is still being stored. Each is handled as a {@link RecordEngagementCommand} would be,
 * a repeated event id being a duplicate; the events are stored together.
 */
public record RecordEngagementsCommand(@TargetAggregateIdentifier String leadId, List<EngagementFact> engagements) {

    public RecordEngagementsCommand {
        engagements = List.copyOf(engagements);
    }
}
