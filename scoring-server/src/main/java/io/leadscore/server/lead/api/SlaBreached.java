package io.leadscore.server.lead.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Sales neither accepted nor rejected an MQL within the model's SLA.
 *
 * @param mqlAt        when the lead became an MQL (this cycle)
 * @param dueAt        when sales should have answered
 * @param breachedAt   when the breach was noticed
 * @param totalScore   the lead's total score then
 * @param modelVersion the model whose SLA it was
 */
@Revision("1")
public record SlaBreached(String leadId, Instant mqlAt, Instant dueAt, Instant breachedAt, double totalScore,
                          String modelVersion) implements LeadEvent {
}
