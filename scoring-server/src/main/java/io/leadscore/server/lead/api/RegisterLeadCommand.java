package io.leadscore.server.lead.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Registers a lead; idempotent for identical details. */
public record RegisterLeadCommand(@TargetAggregateIdentifier String leadId,
                                  String email,
                                  String accountDomain,
                                  String accountName,
                                  String channel,
                                  String campaign,
                                  Instant registeredAt,
                                  String name) {

    /** A registration without a name. */
    public RegisterLeadCommand(String leadId, String email, String accountDomain, String accountName, String channel,
                               String campaign, Instant registeredAt) {
        this(leadId, email, accountDomain, accountName, channel, campaign, registeredAt, "");
    }

    /** The event this command stores. */
    public LeadRegistered toEvent() {
        return new LeadRegistered(leadId, email, accountDomain, accountName, channel, campaign, registeredAt, name,
                                  null);
    }
}
