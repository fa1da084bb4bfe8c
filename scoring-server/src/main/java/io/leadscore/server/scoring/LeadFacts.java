package io.leadscore.server.scoring;

import java.util.List;

/**
 * Everything a scoring model may read about one lead: account, profile and engagements in the order stored.
 *
 * @param emailDomain   domain of the lead's e-mail address, lower case (for personal-address exclusions)
 * @param accountDomain web domain of the lead's company
 * @param profile       fit data
 * @param engagements   engagements, oldest stored first
 */
public record LeadFacts(String emailDomain, String accountDomain, FitProfile profile, List<EngagementFact> engagements) {
}
