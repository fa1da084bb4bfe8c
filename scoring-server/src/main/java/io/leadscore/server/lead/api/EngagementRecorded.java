package io.leadscore.server.lead.api;

import io.leadscore.server.scoring.EngagementFact;
import org.axonframework.serialization.Revision;

/** A lead engaged. */
@Revision("1")
public record EngagementRecorded(String leadId, EngagementFact engagement) implements LeadEvent {
}
