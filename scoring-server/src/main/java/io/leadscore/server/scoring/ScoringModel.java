package io.leadscore.server.scoring;

import java.time.Instant;

/**
 * A scoring model: a pure function of a lead's facts and a point in time. The aggregate, the projections and the
 * backtests all call the same function, so a score is the same wherever it is computed.
 */
public interface ScoringModel {

    /** The model's identity, as {@code id@version}. */
    String version();

    /** Scores the lead as of {@code asOf}, line by line; facts that happened later do not count. */
    ScoreExplanation explain(LeadFacts facts, Instant asOf);

    /** Whether a recycled lead starts its engagement anew (else it keeps what it earned). */
    default boolean recycleResetsEngagement() {
        return false;
    }

    /** Whether the lead's facts are complete enough to make it information qualified (IQL). */
    default boolean informationQualified(LeadFacts facts) {
        return false;
    }

    /**
     * How long after a recycle (a rejection or a lost deal) the lead may requalify on everything it earned, or null:
     * then only engagement earned after the recycle counts toward requalifying.
     */
    default java.time.Duration recycleCoolDown() {
        return null;
    }

    /** What publishing this model does to the stages leads are in. */
    default ModelChangePolicy onModelChange() {
        return ModelChangePolicy.KEEP;
    }

    /** How long sales has to accept or reject an MQL, or null for no SLA. */
    default java.time.Duration mqlSla() {
        return null;
    }

    /** The order of the model's fit grades and engagement levels. */
    BandScale bandScale();

    /** Scores the lead as of {@code asOf}. */
    default ScoreCard score(LeadFacts facts, Instant asOf) {
        return explain(facts, asOf).card();
    }

    /** A new, empty tally of a lead's engagements under this model ({@link EngagementTally#NONE}: none kept). */
    default EngagementTally newTally() {
        return EngagementTally.NONE;
    }

    /**
     * Scores the lead as of {@code asOf} from {@code tally}, made by this model from exactly the engagements of
     * {@code facts}, as {@link #score(LeadFacts, Instant)} would (within rounding: see the model). A time before the
     * tally's latest engagement, or a tally kept by another model, is scored by the full fold.
     */
    default ScoreCard score(LeadFacts facts, EngagementTally tally, Instant asOf) {
        return score(facts, asOf);
    }

    /**
     * Explains the lead as of {@code asOf} from {@code tally}, each engagement rule's engagements in one line, at a
     * cost that does not grow with them (the full explanation where the tally cannot serve, as for scoring).
     */
    default ScoreExplanation explainInSums(LeadFacts facts, EngagementTally tally, Instant asOf) {
        return explain(facts, asOf);
    }

    /** Whether {@code tally} is one this model keeps and scores from (else a new one is built for it). */
    default boolean keeps(EngagementTally tally) {
        return tally == EngagementTally.NONE;
    }
}
