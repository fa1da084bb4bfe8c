package io.leadscore.server.lead.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A lead was registered. {@code email} is personal data. */
@Revision("1")
public record LeadRegistered(String leadId,
                             String email,
                             String accountDomain,
                             String accountName,
                             String channel,
                             String campaign,
                             Instant registeredAt) {
}
