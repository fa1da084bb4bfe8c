package io.leadscore.server.lead.api;

import io.leadscore.server.scoring.FitProfile;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Replaces a lead's fit profile. */
public record UpdateProfileCommand(@TargetAggregateIdentifier String leadId, FitProfile profile, Instant updatedAt) {
}
