package io.leadscore.server.lead.api;

import io.leadscore.server.privacy.Erased;
import io.leadscore.server.privacy.PersonalData;
import io.leadscore.server.privacy.PersonalDataOwner;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Sales moved a lead through a named transition. Carries the score and model that stood when it happened.
 *
 * @param transition      which one
 * @param from            the stage before
 * @param to              the stage after
 * @param actor           who
 * @param reasonCode      a short machine-readable reason (rejections, losses, disqualifications), or empty
 * @param reason          why, in words, or empty
 * @param bant            BANT on acceptance, else null
 * @param amount          deal amount on opportunities and closes, else 0
 * @param currency        ISO 4217 currency of the amount, or empty
 * @param engagementReset whether engagement before this moment stops counting (the model's recycle policy)
 * @param at              when
 * @param totalScore      the lead's total score then
 * @param modelVersion    the model that scored it
 */
@Revision("1")
public record LeadTransitioned(String leadId,
                               SalesTransition transition,
                               LeadStage from,
                               LeadStage to,
                               String actor,
                               String reasonCode,
                               @PersonalData String reason,
                               Bant bant,
                               long amount,
                               String currency,
                               boolean engagementReset,
                               Instant at,
                               double totalScore,
                               String modelVersion) implements LeadEvent, PersonalDataOwner {

    /** The same transition with its free text replaced by the erased marker. */
    public LeadTransitioned erased() {
        return new LeadTransitioned(leadId, transition, from, to, actor, reasonCode,
                                    reason == null || reason.isEmpty() ? reason : Erased.VALUE,
                                    bant == null ? null : Bant.ERASED, amount, currency, engagementReset, at,
                                    totalScore, modelVersion);
    }
}
