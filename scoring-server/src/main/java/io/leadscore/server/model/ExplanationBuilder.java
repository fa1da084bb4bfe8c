package io.leadscore.server.model;

import io.leadscore.server.scoring.ScoreExplanation.Kind;
import io.leadscore.server.scoring.ScoreExplanation.Line;
import io.leadscore.server.scoring.ScoreExplanation.Part;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps the per-part and per-group sums the caps and bands need and, when explaining, the lines. A score alone
 * ({@link #scoreOnly}) keeps no lines and never writes a note: every fold of every event scores its lead, and the
 * words cost more than the arithmetic. Both modes add the same points in the same order, so they compute the very
 * same doubles.
 */
final class ExplanationBuilder {

    /** The lines, or null when only the score is wanted. */
    private final List<Line> lines;
    private final double[] partSums = new double[Part.values().length];
    private final Map<String, Double> groupSums = new HashMap<>();
    private final Map<String, Double> groupHighest = new HashMap<>();

    /** Whether anything added may make the score rise later without a new fact (see {@code ScoreCard#mayRise}). */
    private boolean mayRise;

    /** Whether a tally's sums become lines of their own (a summarized explanation). */
    private final boolean summing;

    private ExplanationBuilder(List<Line> lines, boolean summing) {
        this.lines = lines;
        this.summing = summing;
    }

    /** Keeps every line with its note. */
    static ExplanationBuilder explaining() {
        return new ExplanationBuilder(new ArrayList<>(), false);
    }

    /** Keeps every line with its note, a tally's sums as one line per rule or pattern. */
    static ExplanationBuilder explainingInSums() {
        return new ExplanationBuilder(new ArrayList<>(), true);
    }

    /** Keeps the sums only. */
    static ExplanationBuilder scoreOnly() {
        return new ExplanationBuilder(null, false);
    }

    /** Adds a line; {@code note} is asked for only when explaining. */
    void add(Part part, Kind kind, String ruleId, List<String> eventIds, Instant at, double raw, double points,
             Supplier<String> note, String group) {
        if (lines != null) {
            lines.add(new Line(part, kind, ruleId, List.copyOf(eventIds), at, raw, points, note.get()));
        }
        partSums[part.ordinal()] += points;
        if (group != null) {
            groupSums.merge(group, points, Double::sum);
            groupHighest.merge(group, points, Math::max);
        }
    }

    /**
     * Adds what several lines of one rule or pattern add together (a tally's score): their sum, and the highest
     * single line, which a group counting its highest contribution only needs. Explaining in sums, they become one
     * line ({@code summary}); a full explanation has every line and never comes here.
     */
    void addSummed(Part part, double sum, String group, double highestLine, Supplier<Line> summary) {
        if (lines != null) {
            if (!summing) {
                throw new IllegalStateException("a full explanation needs its lines: explain with the full fold");
            }
            Line line = summary.get();
            if (line != null) {
                lines.add(line);
            }
        }
        partSums[part.ordinal()] += sum;
        if (group != null) {
            groupSums.merge(group, sum, Double::sum);
            groupHighest.merge(group, highestLine, Math::max);
        }
    }

    /**
     * Clips each group of one part to its cap, children before parents: a child's clipped sum counts towards its
     * parent. Clips are lines of their own, so the explanation still adds up.
     */
    void capGroups(Part part, List<ModelDefinition.Group> groups) {
        Map<String, ModelDefinition.Group> byId = new HashMap<>();
        groups.forEach(group -> byId.put(group.id(), group));
        for (ModelDefinition.Group group : childrenFirst(groups, byId)) {
            double sum = groupSums.getOrDefault(group.id(), 0.0);
            double clipped = 0;
            if (group.highestOnly() && groupHighest.containsKey(group.id())
                && groupHighest.get(group.id()) < sum) {
                clipped = groupHighest.get(group.id()) - sum;
                add(part, Kind.CAP, group.id(), List.of(), null, 0, clipped,
                    () -> "group '" + group.id() + "' counts its highest contribution only", null);
                sum += clipped;
            }
            if (sum > group.cap()) {
                double capClip = group.cap() - sum;
                add(part, Kind.CAP, group.id(), List.of(), null, 0, capClip,
                    () -> "group '" + group.id() + "' capped at " + format(group.cap()), null);
                sum += capClip;
            }
            if (group.parent() != null) {
                groupSums.merge(group.parent(), sum, Double::sum);
                groupHighest.merge(group.parent(), sum, Math::max);
            }
        }
    }

    private static List<ModelDefinition.Group> childrenFirst(List<ModelDefinition.Group> groups,
                                                             Map<String, ModelDefinition.Group> byId) {
        List<ModelDefinition.Group> ordered = new ArrayList<>(groups);
        ordered.sort(java.util.Comparator.comparingInt((ModelDefinition.Group g) -> depth(g, byId)).reversed());
        return ordered;
    }

    private static int depth(ModelDefinition.Group group, Map<String, ModelDefinition.Group> byId) {
        int depth = 0;
        for (String parent = group.parent(); parent != null; parent = byId.get(parent).parent()) {
            depth++;
        }
        return depth;
    }

    /** Positive engagement points by whether they decay, and the slowest half-life: the score's ceiling. */
    private double steadyEngagement;
    private double decayingEngagement;
    private double longestHalfLife;
    private double engagementBonus;

    /** Notes a manual engagement adjustment active at the as-of time: it counts after floors and caps. */
    void engagementAdjustment(double points) {
        if (points > 0) {
            engagementBonus += points;
        }
    }

    double engagementBonus() {
        return engagementBonus;
    }

    /** Notes positive engagement points as scored at the as-of time, with their half-life (null: no decay). */
    void engagementPoints(double points, Double halfLifeDays) {
        if (points <= 0) {
            return;
        }
        if (halfLifeDays == null) {
            steadyEngagement += points;
        } else {
            decayingEngagement += points;
            longestHalfLife = Math.max(longestHalfLife, halfLifeDays);
        }
    }

    double steadyEngagement() {
        return steadyEngagement;
    }

    double decayingEngagement() {
        return decayingEngagement;
    }

    double longestHalfLife() {
        return longestHalfLife;
    }

    /** Notes that something just scored can make the total rise later by itself. */
    void mayRiseLater() {
        mayRise = true;
    }

    boolean mayRise() {
        return mayRise;
    }

    /** The sum of one part's lines, in line order (kept as they are added: the same additions in the same order). */
    double sum(Part part) {
        return partSums[part.ordinal()];
    }

    /** The lines; empty when only the score was wanted. */
    List<Line> lines() {
        return lines == null ? List.of() : List.copyOf(lines);
    }

    /** Numbers in notes: whole numbers without decimals, others to four places (cheap: notes are on every line). */
    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return String.valueOf(Math.round(value * 10_000) / 10_000.0);
    }
}
