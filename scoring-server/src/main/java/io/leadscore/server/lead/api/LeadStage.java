package io.leadscore.server.lead.api;

/** Funnel stages; the proto enum {@code leadscore.v1.LeadStage} mirrors this one. */
public enum LeadStage {
    SUBSCRIBER, LEAD, IQL, MQL, SQL, OPPORTUNITY, CUSTOMER, RECYCLED, DISQUALIFIED
}
