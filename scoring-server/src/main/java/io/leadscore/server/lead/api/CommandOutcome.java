package io.leadscore.server.lead.api;

/**
 * What a lead command did, with the lead's score afterwards (read-your-writes).
 *
 * @param effect    what happened
 * @param lead      the lead after the command
 * @param becameMql    whether this command made the lead an MQL
 * @param eventsStored how many events the command stored (facts and the stages they earned)
 * @param position     the store position of the last event the command stored: known once it committed (0 before,
 *                     and when it stored nothing); a read given it as {@code min_position} sees the command
 */
public record CommandOutcome(Effect effect, LeadSnapshot lead, boolean becameMql, int eventsStored, long position) {

    public CommandOutcome(Effect effect, LeadSnapshot lead, boolean becameMql, int eventsStored) {
        this(effect, lead, becameMql, eventsStored, 0);
    }

    public CommandOutcome(Effect effect, LeadSnapshot lead, boolean becameMql) {
        this(effect, lead, becameMql, effect == Effect.APPLIED ? 1 : 0);
    }

    public CommandOutcome(Effect effect, LeadSnapshot lead) {
        this(effect, lead, false);
    }

    /** This outcome, with the position its events were committed at. */
    public CommandOutcome storedThrough(long committedPosition) {
        return new CommandOutcome(effect, lead, becameMql, eventsStored, committedPosition);
    }

    /** Whether the command stored anything. */
    public enum Effect {
        /** New events were stored. */
        APPLIED,
        /** The command repeated one already applied; nothing was stored. */
        DUPLICATE
    }
}
