package io.leadscore.server.lead.api;

import java.util.List;

/**
 * What a {@link RecordEngagementsCommand} did.
 *
 * @param effects   for each engagement, in the command's order, whether it was stored or a duplicate
 * @param lead      the lead after the command
 * @param becameMql whether the command made the lead an MQL
 * @param position  the store position of the last event the command stored, once committed (0 before, and when it
 *                  stored nothing)
 */
public record EngagementsOutcome(List<CommandOutcome.Effect> effects, LeadSnapshot lead, boolean becameMql,
                                 long position) {

    public EngagementsOutcome {
        effects = List.copyOf(effects);
    }

    public EngagementsOutcome(List<CommandOutcome.Effect> effects, LeadSnapshot lead, boolean becameMql) {
        this(effects, lead, becameMql, 0);
    }

    /** This outcome, with the position its events were committed at. */
    public EngagementsOutcome storedThrough(long committedPosition) {
        return new EngagementsOutcome(effects, lead, becameMql, committedPosition);
    }
}
