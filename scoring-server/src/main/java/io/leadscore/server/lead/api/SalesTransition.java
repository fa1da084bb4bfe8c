package io.leadscore.server.lead.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * The named transitions sales makes, with the stages each may start from and the stage it leads to. Automatic
 * transitions (to MQL) only move forward; going back happens only through these.
 */
public enum SalesTransition {
    /** Sales accepts an MQL: SQL, with BANT. */
    ACCEPT(EnumSet.of(LeadStage.MQL), LeadStage.SQL),
    /** Sales rejects an MQL: back to nurture. */
    REJECT(EnumSet.of(LeadStage.MQL), LeadStage.RECYCLED),
    /** Out of the funnel for good (until reopened). */
    DISQUALIFY(EnumSet.of(LeadStage.LEAD, LeadStage.IQL, LeadStage.MQL, LeadStage.SQL, LeadStage.OPPORTUNITY,
                          LeadStage.RECYCLED), LeadStage.DISQUALIFIED),
    /** An opportunity is opened for an SQL. */
    OPEN_OPPORTUNITY(EnumSet.of(LeadStage.SQL), LeadStage.OPPORTUNITY),
    /** The deal was won. */
    CLOSE_WON(EnumSet.of(LeadStage.OPPORTUNITY), LeadStage.CUSTOMER),
    /** The deal was lost: back to nurture. */
    CLOSE_LOST(EnumSet.of(LeadStage.OPPORTUNITY), LeadStage.RECYCLED),
    /** A disqualified lead comes back into the funnel; it can qualify again. */
    REOPEN(EnumSet.of(LeadStage.DISQUALIFIED), LeadStage.LEAD);

    private final Set<LeadStage> from;
    private final LeadStage to;

    SalesTransition(Set<LeadStage> from, LeadStage to) {
        this.from = from;
        this.to = to;
    }

    public boolean allowedFrom(LeadStage stage) {
        return from.contains(stage);
    }

    public LeadStage to() {
        return to;
    }

    public Set<LeadStage> from() {
        return from;
    }
}
