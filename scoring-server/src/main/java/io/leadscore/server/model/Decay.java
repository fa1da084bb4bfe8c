package io.leadscore.server.model;

import java.time.Duration;
import java.time.Instant;

/** Half-life decay: points halve every {@code halfLifeDays} after they were earned. */
final class Decay {

    private static final double SECONDS_PER_DAY = 86_400;

    private Decay() {
    }

    static double ageDays(Instant earned, Instant asOf) {
        return Duration.between(earned, asOf).toMillis() / 1000.0 / SECONDS_PER_DAY;
    }

    /** The points left at {@code asOf}; no half-life means no decay. */
    static double apply(double points, Double halfLifeDays, Instant earned, Instant asOf) {
        if (halfLifeDays == null) {
            return points;
        }
        return points * Math.pow(0.5, Math.max(0, ageDays(earned, asOf)) / halfLifeDays);
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
