package io.leadscore.server.lead.api;

import io.leadscore.server.scoring.ScoreCard;

import java.time.Instant;

/**
 * A lead's score and stage as of its last stored event: what every command answers with and what the score
 * projection serves.
 *
 * @param leadId        the lead
 * @param score         the current score card
 * @param stage         funnel stage
 * @param lastChangedAt time of the last fact
 * @param version       sequence number of the last stored event
 * @param mqlAt         when the lead became an MQL, or null
 * @param channel       acquisition channel
 * @param accountDomain company domain
 * @param slaBreachedAt when sales missed the model's SLA for this MQL, or null
 */
public record LeadSnapshot(String leadId,
                           ScoreCard score,
                           LeadStage stage,
                           Instant lastChangedAt,
                           long version,
                           Instant mqlAt,
                           String channel,
                           String accountDomain,
                           Instant slaBreachedAt) {

    /**
     * The same lead at a later version that recorded entering {@code entered} at {@code at} and changed no fact:
     * as {@code LeadState} folds it, the SLA mark goes, and the MQL time starts or ends with the MQL cycle.
     */
    public LeadSnapshot entering(long newVersion, LeadStage entered, Instant at) {
        return new LeadSnapshot(leadId, score, entered, lastChangedAt, newVersion, mqlAtAfter(entered, at, mqlAt),
                                channel, accountDomain, null);
    }

    /**
     * When the lead became an MQL after it entered {@code entered} at {@code at}: then for an MQL, unchanged for
     * SQL and later (sales took that MQL on), none for any other stage (its MQL cycle ended).
     */
    public static Instant mqlAtAfter(LeadStage entered, Instant at, Instant mqlAtBefore) {
        return entered == LeadStage.MQL ? at : entered.takenBySales() ? mqlAtBefore : null;
    }

    /**
     * The time a read "as of now" scores this lead at: {@code now}, or its latest fact when that is dated later.
     * Facts may be dated up to five minutes ahead of the server clock (a sender's clock that runs fast), and a lead
     * is scored with every fact it was accepted with, never refused for being asked about before it existed.
     */
    public Instant readableAt(Instant now) {
        return readableAt(lastChangedAt, now);
    }

    /** {@link #readableAt(Instant)} for a lead whose latest fact is {@code lastFact} (null: none). */
    public static Instant readableAt(Instant lastFact, Instant now) {
        return lastFact != null && lastFact.isAfter(now) ? lastFact : now;
    }

    /** The same lead at a later version that changed nothing but the SLA breach. */
    public LeadSnapshot at(long newVersion, Instant newSlaBreachedAt) {
        return new LeadSnapshot(leadId, score, stage, lastChangedAt, newVersion, mqlAt, channel, accountDomain,
                                newSlaBreachedAt);
    }
}
