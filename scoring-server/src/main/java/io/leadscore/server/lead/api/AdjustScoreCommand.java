package io.leadscore.server.lead.api;

import io.leadscore.server.scoring.ScoreAdjustment;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Adjusts a lead's score by hand; a repeated adjustment id is a duplicate. */
public record AdjustScoreCommand(@TargetAggregateIdentifier String leadId, ScoreAdjustment adjustment) {
}
