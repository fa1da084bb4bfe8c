package io.leadscore.server.lead.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Publishing a model moved the lead's current stage, as the new model's lifecycle policy says: an unanswered MQL
 * that fails the new rule went back to nurture, or a lead the new rule qualifies became an MQL. Recorded at publish
 * time; the stages recorded before it stay as they were.
 *
 * @param from                 the stage before
 * @param to                   the stage after
 * @param previousModelVersion the model that was active before the publish
 * @param modelVersion         the model published
 * @param totalScore           the lead's total under the published model
 * @param at                   when the model was published
 */
@Revision("1")
public record LeadRestaged(String leadId, LeadStage from, LeadStage to, String previousModelVersion,
                           String modelVersion, double totalScore, Instant at) implements LeadEvent {
}
