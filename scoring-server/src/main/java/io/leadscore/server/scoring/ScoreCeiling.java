package io.leadscore.server.scoring;

import java.time.Duration;
import java.time.Instant;

/**
 * The most a score can be at any time after {@code from} while no new fact arrives, for a score that can only fall
 * by itself (nothing negative decays or expires, no limited engagement waits for a window to free it): decaying
 * points fall at least as fast as the slowest half-life, steady points stay, caps and floors only clip. Queues rank
 * by it to score exactly only the leads that can still reach a page.
 *
 * <p>It holds what the score card does not: the card's own fit, engagement and total (none of which a later score
 * exceeds) are passed in by {@link ScoreCard#totalCeilingAt} and {@link ScoreCard#engagementCeilingAt}.
 *
 * @param from               the time the score was computed at
 * @param engagementFloor    the model's engagement floor, or negative infinity
 * @param steadyEngagement   positive engagement points of rules and patterns without a half-life, before caps
 * @param decayingEngagement positive engagement points that decay, as they were at {@code from}, before caps
 * @param engagementBonus    positive manual engagement adjustments active at {@code from}: they count after the
 *                           engagement floor and caps, and only fall (when they expire)
 * @param longestHalfLife    the slowest half-life among them, in days (0 when nothing decays)
 * @param totalFloor         the model's total floor, or negative infinity
 * @param suppressed         whether an exclusion suppresses the lead (its total is 0 for good; its engagement
 *                           still counts for its band)
 * @param fitMayFall         whether a fit bonus expires, so the fit grade may fall
 */
public record ScoreCeiling(Instant from, double engagementFloor,
                           double steadyEngagement, double decayingEngagement, double longestHalfLife,
                           double engagementBonus, double totalFloor, boolean suppressed, boolean fitMayFall) {

    /** Slack for rounding: the exact score is computed with other operations in another order. */
    private static final double SLACK = 1e-9;

    /**
     * The most the engagement points can be at {@code at}, which must not be before {@code from}, for a score whose
     * engagement was {@code engagement} then.
     */
    double engagementAt(double engagement, Instant at) {
        double left = decayingEngagement == 0 ? 0
                : decayingEngagement * Math.pow(0.5, days(from, at) / longestHalfLife);
        double bound = Math.max(engagementFloor, steadyEngagement + left) + engagementBonus;
        return up(Math.min(engagement, bound));
    }

    /** The most the total can be at {@code at}, for a score of these points then. */
    double totalAt(double fit, double engagement, double total, Instant at) {
        if (suppressed) {
            return 0;
        }
        double bound = Math.max(totalFloor, fit + engagementAt(engagement, at));
        return Math.min(up(total), bound);
    }

    /** A little above {@code value}, whatever its sign. */
    private static double up(double value) {
        return value + SLACK * (1 + Math.abs(value));
    }

    private static double days(Instant from, Instant at) {
        return Math.max(0, Duration.between(from, at).toMillis() / 86_400_000.0);
    }
}
