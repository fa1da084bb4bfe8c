package io.leadscore.server.lead.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Asks the lead to take a newly published model's verdict on its current stage, as that model's lifecycle policy
 * says; changes nothing when the policy keeps stages or the verdict is the stage it has.
 *
 * @param previousModelVersion the model active before the publish
 * @param at                   the publish time
 */
public record ApplyModelChangeCommand(@TargetAggregateIdentifier String leadId, String previousModelVersion,
                                      Instant at) {
}
