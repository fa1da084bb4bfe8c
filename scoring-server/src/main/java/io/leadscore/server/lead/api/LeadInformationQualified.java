package io.leadscore.server.lead.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The lead's profile became complete enough for the model's IQL rule: it is information qualified. */
@Revision("1")
public record LeadInformationQualified(String leadId, double totalScore, String modelVersion, Instant qualifiedAt) implements LeadEvent {
}
