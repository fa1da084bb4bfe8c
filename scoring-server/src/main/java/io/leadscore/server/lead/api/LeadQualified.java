package io.leadscore.server.lead.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A lead met the model's MQL rule for the first time and became a Marketing Qualified Lead.
 *
 * @param totalScore   the score that qualified it
 * @param modelVersion the model that scored it
 * @param qualifiedAt  time of the fact that tipped it over
 */
@Revision("1")
public record LeadQualified(String leadId, double totalScore, String modelVersion, Instant qualifiedAt) implements LeadEvent {
}
