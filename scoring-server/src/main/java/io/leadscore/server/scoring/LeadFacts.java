package io.leadscore.server.scoring;

import java.util.List;

/**
 * Everything a scoring model may read about one lead: account, profile, engagements and manual adjustments.
 *
 * @param emailDomain   domain of the lead's e-mail address, lower case (for personal-address exclusions)
 * @param accountDomain web domain of the lead's company
 * @param profile       fit data
 * @param engagements   engagements, in the order stored (the model orders them by time itself)
 * @param adjustments   manual adjustments, in the order stored
 * @param channel       acquisition channel from the registration, or empty
 * @param campaign      acquisition campaign from the registration, or empty
 */
public record LeadFacts(String emailDomain, String accountDomain, FitProfile profile, List<EngagementFact> engagements,
                        List<ScoreAdjustment> adjustments, String channel, String campaign) {

    /** Facts of a lead without channel or campaign. */
    public LeadFacts(String emailDomain, String accountDomain, FitProfile profile, List<EngagementFact> engagements,
                     List<ScoreAdjustment> adjustments) {
        this(emailDomain, accountDomain, profile, engagements, adjustments, "", "");
    }

    /** Facts without manual adjustments. */
    public LeadFacts(String emailDomain, String accountDomain, FitProfile profile, List<EngagementFact> engagements) {
        this(emailDomain, accountDomain, profile, engagements, List.of());
    }
}
