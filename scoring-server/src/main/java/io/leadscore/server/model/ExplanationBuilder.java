package io.leadscore.server.model;

import io.leadscore.server.scoring.ScoreExplanation.Kind;
import io.leadscore.server.scoring.ScoreExplanation.Line;
import io.leadscore.server.scoring.ScoreExplanation.Part;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Collects explanation lines and keeps the per-part and per-group sums the caps and bands need. */
final class ExplanationBuilder {

    private final List<Line> lines = new ArrayList<>();
    private final Map<String, Double> groupSums = new HashMap<>();
    private final Map<String, Double> groupHighest = new HashMap<>();

    void add(Line line, String group) {
        lines.add(line);
        if (group != null) {
            groupSums.merge(group, line.points(), Double::sum);
            groupHighest.merge(group, line.points(), Math::max);
        }
    }

    void add(Part part, Kind kind, String ruleId, List<String> eventIds, Instant at, double raw, double points,
             String note, String group) {
        add(new Line(part, kind, ruleId, List.copyOf(eventIds), at, raw, points, note), group);
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
                    "group '" + group.id() + "' counts its highest contribution only", null);
                sum += clipped;
            }
            if (sum > group.cap()) {
                double capClip = group.cap() - sum;
                add(part, Kind.CAP, group.id(), List.of(), null, 0, capClip,
                    "group '" + group.id() + "' capped at " + format(group.cap()), null);
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

    /** The sum of one part's lines, in line order. */
    double sum(Part part) {
        double sum = 0;
        for (Line line : lines) {
            if (line.part() == part) {
                sum += line.points();
            }
        }
        return sum;
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Numbers in notes: whole numbers without decimals, others to four places (cheap: notes are on every line). */
    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return String.valueOf(Math.round(value * 10_000) / 10_000.0);
    }
}
