package io.leadscore.server.lead.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An outcome another system recorded for the lead, imported as history: the lead entered the outcome's stage at
 * {@code occurredAt}, whatever stage it was in here, because the decision was made elsewhere.
 *
 * @param amount   deal amount in minor units, or 0
 * @param currency ISO 4217 currency of the amount, or empty
 * @param source   the system it came from
 */
@Revision("1")
public record OutcomeImported(String leadId,
                              ImportedOutcome outcome,
                              Instant occurredAt,
                              long amount,
                              String currency,
                              String source) implements LeadEvent {
}
