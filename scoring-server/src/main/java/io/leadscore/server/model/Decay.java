package io.leadscore.server.model;

import java.time.Duration;
import java.time.Instant;

/** Half-life decay: points halve every {@code halfLifeDays} after they were earned. */
final class Decay {

    private static final double SECONDS_PER_DAY = 86_400;

    private Decay() {
    }

    /**
     * The age to the nanosecond, not truncated to milliseconds: a running decayed sum ({@link RuleTally}) measures
     * each engagement against an anchor, and only exact differences add up (age = (asOf - anchor) - (t - anchor)).
     */
    static double ageDays(Instant earned, Instant asOf) {
        return seconds(earned, asOf) / SECONDS_PER_DAY;
    }

    /** The time from {@code from} to {@code to} in seconds, exact to the nanosecond before rounding to a double. */
    static double seconds(Instant from, Instant to) {
        Duration between = Duration.between(from, to);
        return between.getSeconds() + between.getNano() / 1e9;
    }

    /** {@code 2^(-days / halfLifeDays)}: what one point earned {@code days} ago is worth now. */
    static double factor(double days, double halfLifeDays) {
        return Math.pow(0.5, days / halfLifeDays);
    }

    /** The points left at {@code asOf}; no half-life means no decay. */
    static double apply(double points, Double halfLifeDays, Instant earned, Instant asOf) {
        if (halfLifeDays == null) {
            return points;
        }
        return points * factor(Math.max(0, ageDays(earned, asOf)), halfLifeDays);
    }

    static String note(double raw, Double halfLifeDays, Instant earned, Instant asOf) {
        if (halfLifeDays == null) {
            return "";
        }
        return "decayed from " + ExplanationBuilder.format(raw) + " (half-life "
               + ExplanationBuilder.format(halfLifeDays) + " d, age "
               + Math.round(ageDays(earned, asOf) * 10) / 10.0 + " d)";
    }
}
