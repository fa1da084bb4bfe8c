package io.leadscore.server.lead.api;

/** Funnel stages; the proto enum {@code leadscore.v1.LeadStage} mirrors this one. */
public enum LeadStage {
    SUBSCRIBER, LEAD, IQL, MQL, SQL, OPPORTUNITY, CUSTOMER, RECYCLED, DISQUALIFIED;

    /** Whether meeting the MQL rule makes a lead in this stage an MQL: automatic transitions only move forward. */
    public boolean qualifiesAutomatically() {
        return this == SUBSCRIBER || this == LEAD || this == IQL || this == RECYCLED;
    }

    /** Whether sales took the lead on from MQL: SQL, opportunity or customer, which keep their MQL time. */
    public boolean takenBySales() {
        return this == SQL || this == OPPORTUNITY || this == CUSTOMER;
    }
}
