package io.leadscore.server.lead.api;

import io.leadscore.server.privacy.PersonalDataOwner;

import io.leadscore.server.scoring.ScoreAdjustment;
import org.axonframework.serialization.Revision;

/** A person adjusted a lead's score by hand. */
@Revision("1")
public record ScoreAdjusted(String leadId, ScoreAdjustment adjustment) implements LeadEvent, PersonalDataOwner {
}
