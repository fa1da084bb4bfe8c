package io.leadscore.server.lead.api;

import io.leadscore.server.privacy.Erased;
import org.axonframework.serialization.Revision;

import io.leadscore.server.privacy.PersonalData;
import io.leadscore.server.privacy.PersonalDataOwner;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.scoring.SharedStrings;

import java.time.Instant;
import java.util.Locale;

/**
 * A lead was registered. {@code email}, {@code name} and {@code accountName} (the company's name: free text that,
 * with the person's role, identifies them) are personal data, stored sealed with the lead's key; {@code
 * emailDomain} and {@code accountDomain} stay readable after erasure, because fit rules and account roll-ups read
 * them.
 *
 * @param name        the person's name, or empty
 * @param emailDomain the domain of the e-mail address, lower case; derived from the address in events stored
 *                    before it was recorded
 */
@Revision("1")
public record LeadRegistered(String leadId,
                             @PersonalData String email,
                             String accountDomain,
                             @PersonalData String accountName,
                             String channel,
                             String campaign,
                             Instant registeredAt,
                             @PersonalData String name,
                             String emailDomain) implements LeadEvent, PersonalDataOwner {

    public LeadRegistered {
        email = email == null ? "" : email;
        name = name == null ? "" : name;
        accountName = accountName == null ? "" : accountName;
        if (emailDomain == null) {
            emailDomain = PersonalDataVault.isSealed(email) ? "" : domainOf(email);
        }
        // Repeated across the leads of an account, a channel, a campaign: one instance each in memory.
        accountDomain = SharedStrings.of(accountDomain);
        accountName = SharedStrings.of(accountName);
        channel = SharedStrings.of(channel);
        campaign = SharedStrings.of(campaign);
        emailDomain = SharedStrings.of(emailDomain);
    }

    /** A registration without a name. */
    public LeadRegistered(String leadId, String email, String accountDomain, String accountName, String channel,
                          String campaign, Instant registeredAt) {
        this(leadId, email, accountDomain, accountName, channel, campaign, registeredAt, "", null);
    }

    /** The same registration with its personal data replaced by the erased marker. */
    public LeadRegistered erased() {
        return new LeadRegistered(leadId, email.isEmpty() ? "" : Erased.VALUE, accountDomain,
                                  accountName.isEmpty() ? "" : Erased.VALUE, channel, campaign,
                                  registeredAt,
                                  name.isEmpty() ? "" : Erased.VALUE, emailDomain);
    }

    private static String domainOf(String email) {
        return email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
