package io.leadscore.server.lead.api;

import io.leadscore.server.privacy.PersonalDataOwner;
import io.leadscore.server.scoring.FitProfile;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A lead's fit profile was replaced as a whole. Its job title is personal data, stored sealed with the lead's key
 * ({@link io.leadscore.server.privacy.ScoredPersonalData}); the rest are categorical facts about the role and the
 * company that stay readable after erasure, because fit rules score them.
 */
@Revision("1")
public record ProfileUpdated(String leadId, FitProfile profile, Instant updatedAt) implements LeadEvent, PersonalDataOwner {

    /** The same update with its personal data forgotten: the job title unknown. */
    public ProfileUpdated erased() {
        return new ProfileUpdated(leadId, profile.withoutJobTitle(), updatedAt);
    }
}
