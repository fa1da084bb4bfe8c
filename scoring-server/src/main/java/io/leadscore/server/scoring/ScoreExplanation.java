package io.leadscore.server.scoring;

import java.time.Instant;
import java.util.List;

/**
 * Every reason behind a score, line by line. The parts add up exactly: {@code fit} is the sum of the FIT lines,
 * {@code engagement} of the ENGAGEMENT lines, and {@code total} is fit plus engagement plus the TOTAL lines, summed
 * in the order listed, so an explanation and the score it explains are the same numbers.
 *
 * @param modelVersion the model, as {@code id@version}
 * @param asOf         the time the score is computed for
 * @param lines        contributions, clips and floors, in evaluation order
 * @param card         the resulting score and bands
 */
public record ScoreExplanation(String modelVersion, Instant asOf, List<Line> lines, ScoreCard card) {

    /** Which part of the score a line belongs to. */
    public enum Part { FIT, ENGAGEMENT, TOTAL }

    /** What kind of reason a line is. */
    public enum Kind {
        /** A fit rule matched. */
        FIT_RULE,
        /** An exclusion matched. */
        EXCLUSION,
        /** An engagement rule scored (or, with zero points, did not score) one engagement. */
        ENGAGEMENT_RULE,
        /** A pattern completed. */
        PATTERN,
        /** A group or section cap clipped points. */
        CAP,
        /** A floor lifted a negative sum. */
        FLOOR,
        /** An exclusion suppressed the whole score. */
        SUPPRESSION,
        /** A manual adjustment. */
        ADJUSTMENT,
        /**
         * An engagement rule's engagements in one line (how many, their points before and after decay): how a
         * lead with a long history is explained, so that its explanation stays small and quick.
         */
        ENGAGEMENT_SUMMARY
    }

    /**
     * One reason.
     *
     * @param part      which sum it belongs to
     * @param kind      what kind of reason
     * @param ruleId    the rule, pattern, group or exclusion id
     * @param eventIds  the engagements involved (empty for fit and caps)
     * @param at        when it took effect (the engagement or completion time), or null
     * @param rawPoints points before decay, frequency, windows and caps
     * @param points    points counted in the score
     * @param note      why the counted points differ from the raw ones, in words
     */
    public record Line(Part part, Kind kind, String ruleId, List<String> eventIds, Instant at, double rawPoints,
                       double points, String note) {
    }
}
