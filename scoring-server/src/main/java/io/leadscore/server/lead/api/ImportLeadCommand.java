package io.leadscore.server.lead.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Imports one lead's history from another system as one command, so it is stored all or none: the registration,
 * then the profile, engagements and outcomes in the order they happened (the source's order breaks ties).
 *
 * @param profile the profile with its observation time, or null
 */
public record ImportLeadCommand(@TargetAggregateIdentifier String leadId,
                                RegisterLeadCommand registration,
                                UpdateProfileCommand profile,
                                List<RecordEngagementCommand> engagements,
                                List<ImportOutcomeCommand> outcomes) {

    public ImportLeadCommand {
        engagements = List.copyOf(engagements);
        outcomes = List.copyOf(outcomes);
    }

    /** The facts after the registration, oldest first: each one a lead command of its own kind. */
    public List<Object> factsInTimeOrder() {
        List<Object> facts = new ArrayList<>(engagements);
        if (profile != null) {
            facts.add(profile);
        }
        facts.addAll(outcomes);
        facts.sort(Comparator.comparing(ImportLeadCommand::timeOf)); // stable: the source's order breaks ties
        return facts;
    }

    private static Instant timeOf(Object fact) {
        if (fact instanceof RecordEngagementCommand engagement) {
            return engagement.engagement().occurredAt();
        }
        if (fact instanceof UpdateProfileCommand update) {
            return update.updatedAt();
        }
        return ((ImportOutcomeCommand) fact).occurredAt();
    }
}
