package io.leadscore.server.scoring;

/**
 * The result of scoring one lead with one model at one time.
 *
 * @param fit             fit points
 * @param engagement      engagement points after decay, frequency limits, windows and caps
 * @param total           fit plus engagement, after the total floor and suppression
 * @param modelVersion    the model, as {@code id@version}
 * @param qualifies       whether the lead meets the model's MQL rule
 * @param fitGrade        fit grade, such as {@code A}
 * @param engagementLevel engagement level, 1 being the most engaged
 * @param demoIntent      interactive-demo intent: HIGH, MEDIUM, LOW, or NONE without demo sessions
 * @param ceiling         the most the total can be later while no new fact arrives, or null when it may rise by
 *                        itself: negative points that decay or leave a window, a negative adjustment that expires,
 *                        an engagement a frequency limit stopped that a window may free, facts after the scored
 *                        time. Queues rank by it (see {@code LeadQueue})
 */
public record ScoreCard(double fit,
                        double engagement,
                        double total,
                        String modelVersion,
                        boolean qualifies,
                        String fitGrade,
                        int engagementLevel,
                        String demoIntent,
                        ScoreCeiling ceiling) {

    /** Whether the total may rise later with no new fact, so that no ceiling bounds it. */
    public boolean mayRise() {
        return ceiling == null;
    }

    /** The most the total can be at {@code at} (not before this score's time) with no new fact; infinity if unbounded. */
    public double totalCeilingAt(java.time.Instant at) {
        return ceiling == null ? Double.POSITIVE_INFINITY : ceiling.totalAt(fit, engagement, total, at);
    }

    /** The most the engagement points can be at {@code at} with no new fact; infinity if unbounded. */
    public double engagementCeilingAt(java.time.Instant at) {
        return ceiling == null ? Double.POSITIVE_INFINITY : ceiling.engagementAt(engagement, at);
    }

    /** The fit/engagement matrix label, such as {@code A1}. */
    public String matrix() {
        return fitGrade + engagementLevel;
    }
}
