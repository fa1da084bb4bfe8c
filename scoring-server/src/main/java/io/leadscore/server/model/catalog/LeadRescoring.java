package io.leadscore.server.model.catalog;

import io.leadscore.server.lead.api.LeadSnapshot;

import java.util.Map;

/** What a publish needs of the read side: every lead's row, and having them all recomputed under the new model. */
public interface LeadRescoring {

    /** Every lead's current row, by lead id. */
    Map<String, LeadSnapshot> rows();

    /**
     * Drops every lead folded under the previous model and starts recomputing every row from history; returns
     * once the recomputation is under way (see {@link #caughtUp()}).
     */
    void rescoreAll();

    /** Events applied to rows so far (it grows while rows are recomputed). */
    long appliedEvents();

    /** The store's head position: where the recomputation ends. */
    long headPosition();

    /** Whether every event stored before the call is in the rows. */
    boolean caughtUp();
}
