package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.Bands;
import io.leadscore.server.model.ModelDefinition.CombinationPattern;
import io.leadscore.server.model.ModelDefinition.CountPattern;
import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.model.ModelDefinition.EventMatcher;
import io.leadscore.server.model.ModelDefinition.Group;
import io.leadscore.server.model.ModelDefinition.Pattern;
import io.leadscore.server.model.ModelDefinition.SequencePattern;
import io.leadscore.server.scoring.EngagementTypes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks what a well-formed document can still get wrong: references, ranges, orderings and group cycles. */
final class ModelValidator {

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /**
     * The most one rule or pattern may add or take: a million points is far past any useful model and keeps every
     * sum a model can make (rules times engagements, decayed) finite and exact enough to compare.
     */
    static final double MAX_POINTS = 1e6;
    /** The largest cap, floor, band minimum or threshold: beyond it no score can reach, so it is a typo. */
    static final double MAX_LEVEL = 1e9;
    /** The longest MQL SLA: ten years, so that an MQL's due time stays a time. */
    static final double MAX_SLA_HOURS = 24 * 3650;

    private final List<ModelProblem> problems = new ArrayList<>();
    private final Map<Object, String> sources;
    private final boolean checkBounds;

    private ModelValidator(Map<Object, String> sources, boolean checkBounds) {
        this.sources = sources;
        this.checkBounds = checkBounds;
    }

    /** Validates; {@code sources} maps parsed elements to their document paths (identity map). */
    static List<ModelProblem> validate(ModelDefinition model, Map<Object, String> sources) {
        ModelValidator validator = new ModelValidator(sources, true);
        validator.check(model);
        return validator.problems;
    }

    /**
     * Validates a version stored before the numeric bounds existed: everything but the bounds, so that a store
     * whose active model breaks them still starts and scores as it did (publishing such a version is refused).
     */
    static List<ModelProblem> validateStored(ModelDefinition model, Map<Object, String> sources) {
        ModelValidator validator = new ModelValidator(sources, false);
        validator.check(model);
        return validator.problems;
    }

    /** The element's path in the document, or the given one for elements built without a source. */
    private String at(Object element, String fallback) {
        return sources.getOrDefault(element, fallback);
    }

    private void problem(String path, String reason) {
        problems.add(new ModelProblem(path, reason));
    }

    private void check(ModelDefinition model) {
        if (!ID.matcher(model.id()).matches()) {
            problem("id", "must be 1-64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit");
        }
        if (model.version() < 1) {
            problem("version", "must be at least 1");
        }
        Set<String> fitGroups = groups("fit.groups", model.fit().groups());
        Set<String> fitIds = new HashSet<>();
        for (int i = 0; i < model.fit().rules().size(); i++) {
            var rule = model.fit().rules().get(i);
            String path = at(rule, "fit.rules[" + i + "]");
            uniqueId(fitIds, rule.id(), path + ".id");
            groupReference(fitGroups, rule.group(), path + ".group");
            points(rule.points(), path + ".points");
        }
        for (int i = 0; i < model.fit().exclusions().size(); i++) {
            var exclusion = model.fit().exclusions().get(i);
            String path = at(exclusion, "fit.exclusions[" + i + "]");
            uniqueId(fitIds, exclusion.id(), path + ".id");
            points(exclusion.points(), path + ".points");
        }
        if (model.totalFloor() != Double.NEGATIVE_INFINITY) {
            level(model.totalFloor(), "total_floor");
        }
        if (model.accounts().cap() != 0) {
            level(model.accounts().cap(), "accounts.cap");
        }
        checkEngagement(model.engagement());
        checkBands(model.bands());
        Double sla = model.lifecycle().mqlSlaHours();
        if (sla != null && !(sla > 0)) {
            problem("lifecycle.mql_sla_hours", "must be positive");
        }
        if (sla != null && sla > MAX_SLA_HOURS) {
            problem("lifecycle.mql_sla_hours", "must be at most " + ExplanationBuilder.format(MAX_SLA_HOURS)
                                               + " (ten years)");
        }
    }

    private void checkEngagement(ModelDefinition.Engagement engagement) {
        Set<String> groups = groups("engagement.groups", engagement.groups());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < engagement.rules().size(); i++) {
            EngagementRule rule = engagement.rules().get(i);
            String path = at(rule, "engagement.rules[" + i + "]");
            uniqueId(ids, rule.id(), path + ".id");
            points(rule.points(), path + ".points");
            eventType(rule.match(), path + ".type");
            groupReference(groups, rule.group(), path + ".group");
            if (rule.windowDays() != null && rule.windowDays() < 1) {
                problem(path + ".window_days", "must be at least 1");
            }
            if (rule.halfLifeDays() != null && !(rule.halfLifeDays() > 0)) {
                problem(path + ".half_life_days", "must be positive");
            }
            var frequency = rule.frequency();
            if (frequency.kind() == ModelDefinition.Frequency.Kind.PER_DAY && frequency.max() < 1) {
                problem(path + ".frequency.per_day", "must be at least 1");
            }
            if (frequency.kind() == ModelDefinition.Frequency.Kind.PER_WINDOW) {
                if (frequency.max() < 1) {
                    problem(path + ".frequency.max", "must be at least 1");
                }
                if (frequency.perDays() < 1) {
                    problem(path + ".frequency.per_days", "must be at least 1");
                }
            }
        }
        for (int i = 0; i < engagement.patterns().size(); i++) {
            Pattern pattern = engagement.patterns().get(i);
            String path = at(pattern, "engagement.patterns[" + i + "]");
            uniqueId(ids, pattern.id(), path + ".id");
            points(pattern.points(), path + ".points");
            groupReference(groups, pattern.group(), path + ".group");
            if (pattern.halfLifeDays() != null && !(pattern.halfLifeDays() > 0)) {
                problem(path + ".half_life_days", "must be positive");
            }
            if (pattern instanceof CountPattern count) {
                eventType(count.match(), path + ".count.type");
                atLeastOne(count.count(), path + ".count.times");
                atLeastOne(count.withinDays(), path + ".count.within_days");
            } else if (pattern instanceof SequencePattern sequence) {
                for (int s = 0; s < sequence.steps().size(); s++) {
                    eventType(sequence.steps().get(s), path + ".sequence.steps[" + s + "].type");
                }
            } else if (pattern instanceof CombinationPattern combination) {
                atLeastOne(combination.withinDays(), path + ".combination.within_days");
                for (int r = 0; r < combination.requires().size(); r++) {
                    eventType(combination.requires().get(r).match(), path + ".combination.requires[" + r + "].type");
                    atLeastOne(combination.requires().get(r).count(), path + ".combination.requires[" + r + "].times");
                }
            }
        }
        if (engagement.cap() != null) {
            level(engagement.cap(), "engagement.cap");
        }
        if (engagement.floor() != null) {
            level(engagement.floor(), "engagement.floor");
        }
        if (engagement.cap() != null && engagement.cap() < 0) {
            problem("engagement.cap", "must not be negative");
        }
        if (engagement.cap() != null && engagement.floor() != null && engagement.cap() < engagement.floor()) {
            problem("engagement.cap", "is below engagement.floor (" + engagement.floor() + ")");
        }
    }

    private void checkBands(Bands bands) {
        if (bands.fitGrades().isEmpty()) {
            problem("bands.fit_grades", "needs at least one grade");
        }
        Set<String> grades = new HashSet<>();
        for (int i = 0; i < bands.fitGrades().size(); i++) {
            var grade = bands.fitGrades().get(i);
            String path = at(grade, "bands.fit_grades[" + i + "]");
            if (!grades.add(grade.grade())) {
                problem(path + ".grade", "'" + grade.grade() + "' is listed twice");
            }
            level(grade.min(), path + ".min");
            if (i > 0 && grade.min() >= bands.fitGrades().get(i - 1).min()) {
                problem(path + ".min", "grades go best first: min must fall from one to the next");
            }
        }
        if (bands.engagementLevels().isEmpty()) {
            problem("bands.engagement_levels", "needs at least one level");
        }
        Set<Integer> levels = new HashSet<>();
        for (int i = 0; i < bands.engagementLevels().size(); i++) {
            var level = bands.engagementLevels().get(i);
            String path = at(level, "bands.engagement_levels[" + i + "]");
            if (!levels.add(level.level())) {
                problem(path + ".level", "level " + level.level() + " is listed twice");
            }
            level(level.min(), path + ".min");
            if (i > 0 && level.min() >= bands.engagementLevels().get(i - 1).min()) {
                problem(path + ".min", "levels go most engaged first: min must fall from one to the next");
            }
        }
        for (int i = 0; i < bands.mqlAnyOf().size(); i++) {
            var condition = bands.mqlAnyOf().get(i);
            String conditionPath = at(condition, "bands.mql.any_of[" + i + "]");
            optionalLevel(condition.fitAtLeast(), conditionPath + ".fit_at_least");
            optionalLevel(condition.engagementAtLeast(), conditionPath + ".engagement_at_least");
            optionalLevel(condition.totalAtLeast(), conditionPath + ".total_at_least");
            String grade = condition.fitGradeAtLeast();
            if (grade != null && !grades.contains(grade)) {
                problem(at(condition, "bands.mql.any_of[" + i + "]") + ".fit_grade_at_least",
                        "'" + grade + "' is not a fit grade");
            }
        }
        var demo = bands.demoIntent();
        if (demo != null) {
            if (demo.mediumAt() < 1 || demo.highAt() < demo.mediumAt() || demo.highAt() > 5) {
                problem("bands.demo_intent", "needs 1 <= medium_at <= high_at <= 5 (there are five signals)");
            }
        }
    }

    /** Group ids are unique, caps are not negative, parents exist and never form a cycle. */
    private Set<String> groups(String path, List<Group> groups) {
        Map<String, String> parents = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            Group group = groups.get(i);
            String groupPath = at(group, path + "[" + i + "]");
            if (parents.containsKey(group.id())) {
                problem(groupPath + ".id", "'" + group.id() + "' is defined twice");
            }
            parents.put(group.id(), group.parent());
            if (group.cap() < 0) {
                problem(groupPath + ".cap", "must not be negative");
            }
            level(group.cap(), groupPath + ".cap");
        }
        for (int i = 0; i < groups.size(); i++) {
            Group group = groups.get(i);
            String groupPath = at(group, path + "[" + i + "]");
            if (group.parent() != null && !parents.containsKey(group.parent())) {
                problem(groupPath + ".parent", "unknown group '" + group.parent() + "'");
                continue;
            }
            Set<String> seen = new HashSet<>();
            String current = group.id();
            while (current != null && seen.add(current)) {
                current = parents.get(current);
            }
            if (current != null) {
                problem(groupPath + ".parent", "groups form a cycle through '" + current + "'");
            }
        }
        return parents.keySet();
    }

    private void points(double points, String path) {
        if (checkBounds && !(Math.abs(points) <= MAX_POINTS)) {
            problem(path, "must be between -" + ExplanationBuilder.format(MAX_POINTS) + " and "
                          + ExplanationBuilder.format(MAX_POINTS));
        }
    }

    private void level(double value, String path) {
        if (checkBounds && !(Math.abs(value) <= MAX_LEVEL)) {
            problem(path, "must be between -" + ExplanationBuilder.format(MAX_LEVEL) + " and "
                          + ExplanationBuilder.format(MAX_LEVEL));
        }
    }

    private void optionalLevel(Double value, String path) {
        if (value != null) {
            level(value, path);
        }
    }

    private void groupReference(Set<String> groups, String group, String path) {
        if (group != null && !groups.contains(group)) {
            problem(path, "unknown group '" + group + "'");
        }
    }

    private void uniqueId(Set<String> ids, String id, String path) {
        if (!ids.add(id)) {
            problem(path, "'" + id + "' is used twice");
        }
    }

    private void eventType(EventMatcher match, String path) {
        if (!EngagementTypes.KNOWN.contains(match.type())) {
            problem(path, "'" + match.type() + "' is not an engagement type; expected one of "
                          + new java.util.TreeSet<>(EngagementTypes.KNOWN));
        }
    }

    private void atLeastOne(int value, String path) {
        if (value < 1) {
            problem(path, "must be at least 1");
        }
    }
}
