package io.leadscore.server.lead.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A lead's personal data was erased: its key is destroyed, so every sealed value it had reads as erased. Scores,
 * stages and counts stay, and the lead takes no further facts.
 *
 * @param actor who asked for the erasure (a person or system of the company, not the lead)
 */
@Revision("1")
public record LeadErased(String leadId, String actor, Instant at) implements LeadEvent {
}
