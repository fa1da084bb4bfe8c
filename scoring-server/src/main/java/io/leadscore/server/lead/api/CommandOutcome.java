package io.leadscore.server.lead.api;

/**
 * What a lead command did, with the lead's score afterwards (read-your-writes).
 *
 * @param effect    what happened
 * @param lead      the lead after the command
 * @param becameMql    whether this command made the lead an MQL
 * @param eventsStored how many events the command stored (facts and the stages they earned)
 */
public record CommandOutcome(Effect effect, LeadSnapshot lead, boolean becameMql, int eventsStored) {

    public CommandOutcome(Effect effect, LeadSnapshot lead, boolean becameMql) {
        this(effect, lead, becameMql, effect == Effect.APPLIED ? 1 : 0);
    }

    public CommandOutcome(Effect effect, LeadSnapshot lead) {
        this(effect, lead, false);
    }

    /** Whether the command stored anything. */
    public enum Effect {
        /** New events were stored. */
        APPLIED,
        /** The command repeated one already applied; nothing was stored. */
        DUPLICATE
    }
}
