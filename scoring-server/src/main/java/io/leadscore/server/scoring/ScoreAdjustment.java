package io.leadscore.server.scoring;

import io.leadscore.server.privacy.Erased;
import io.leadscore.server.privacy.PersonalData;

import java.time.Instant;

/**
 * A manual change to a lead's score by a person, kept in the same ledger as every other fact.
 *
 * @param adjustmentId caller-chosen id, unique per lead
 * @param points       points added (negative to subtract)
 * @param toFit        whether the points count towards fit (else engagement)
 * @param actor        who made it
 * @param reason       why
 * @param effectiveAt  from when it counts
 * @param expiresAt    until when it counts (exclusive), or null for good
 */
public record ScoreAdjustment(String adjustmentId, double points, boolean toFit, String actor,
                              @PersonalData String reason,
                              Instant effectiveAt, Instant expiresAt) {

    /** The same adjustment with its reason replaced by the erased marker. */
    public ScoreAdjustment erased() {
        return new ScoreAdjustment(adjustmentId, points, toFit, actor, Erased.VALUE, effectiveAt,
                                   expiresAt);
    }

    /** Whether it counts at {@code time}. */
    public boolean activeAt(Instant time) {
        return !effectiveAt.isAfter(time) && (expiresAt == null || time.isBefore(expiresAt));
    }
}
