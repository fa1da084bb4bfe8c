package io.leadscore.server.lead.api;

import java.util.List;

/**
 * What a {@link RecordEngagementsCommand} did.
 *
 * @param effects   for each engagement, in the command's order, whether it was stored or a duplicate
 * @param lead      the lead after the command
 * @param becameMql whether the command made the lead an MQL
 */
public record EngagementsOutcome(List<CommandOutcome.Effect> effects, LeadSnapshot lead, boolean becameMql) {

    public EngagementsOutcome {
        effects = List.copyOf(effects);
    }
}
