package io.leadscore.server.lead.api;

import io.leadscore.server.scoring.FitProfile;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A lead's fit profile was replaced as a whole. */
@Revision("1")
public record ProfileUpdated(String leadId, FitProfile profile, Instant updatedAt) {
}
