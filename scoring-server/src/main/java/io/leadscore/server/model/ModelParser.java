package io.leadscore.server.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.leadscore.server.model.ModelDefinition.AttributePredicate;
import io.leadscore.server.model.ModelDefinition.Bands;
import io.leadscore.server.model.ModelDefinition.CombinationPattern;
import io.leadscore.server.model.ModelDefinition.CountPattern;
import io.leadscore.server.model.ModelDefinition.DemoIntent;
import io.leadscore.server.model.ModelDefinition.Engagement;
import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.model.ModelDefinition.EventMatcher;
import io.leadscore.server.model.ModelDefinition.Exclusion;
import io.leadscore.server.model.ModelDefinition.Fit;
import io.leadscore.server.model.ModelDefinition.FitField;
import io.leadscore.server.model.ModelDefinition.FitRule;
import io.leadscore.server.model.ModelDefinition.Frequency;
import io.leadscore.server.model.ModelDefinition.Grade;
import io.leadscore.server.model.ModelDefinition.Group;
import io.leadscore.server.model.ModelDefinition.Level;
import io.leadscore.server.model.ModelDefinition.MqlCondition;
import io.leadscore.server.model.ModelDefinition.Pattern;
import io.leadscore.server.model.ModelDefinition.Requirement;
import io.leadscore.server.model.ModelDefinition.SequencePattern;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.IdentityHashMap;
import io.leadscore.server.scoring.ModelChangePolicy;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a model document (YAML) into a {@link ModelDefinition}, collecting every structural problem with its path;
 * {@link ModelValidator} then checks what the structure alone cannot (references, ranges, cycles).
 */
public final class ModelParser {

    /** Duplicate keys are an error, not "the last one wins": an author who wrote a rule twice meant one of them. */
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                       .build());
    private static final int MAX_DOCUMENT_CHARS = 256 * 1024;

    private ModelParser() {
    }

    /** Where each parsed element stood in the document, so later checks name the author's own positions. */
    private final Map<Object, String> sources = new IdentityHashMap<>();

    /** Parses and validates; throws {@link ModelDocumentException} listing every problem. */
    public static ModelDefinition parse(String document) {
        return parse(document, true);
    }

    /**
     * Parses a version the catalog stored, which validated when it was stored: numeric bounds added since are not
     * held against it (see {@link ModelValidator#validateStored}).
     */
    public static ModelDefinition parseStored(String document) {
        return parse(document, false);
    }

    private static ModelDefinition parse(String document, boolean checkBounds) {
        List<ModelProblem> problems = new ArrayList<>();
        ModelParser parser = new ModelParser();
        ModelDefinition model = parser.read(document, problems);
        if (model != null) {
            // Also on a document with structural problems: an author should see everything in one answer.
            problems.addAll(checkBounds ? ModelValidator.validate(model, parser.sources)
                                        : ModelValidator.validateStored(model, parser.sources));
        }
        if (!problems.isEmpty()) {
            throw new ModelDocumentException(problems);
        }
        return model;
    }

    private ModelDefinition read(String document, List<ModelProblem> problems) {
        if (document.length() > MAX_DOCUMENT_CHARS) {
            problems.add(new ModelProblem("", "document is longer than " + MAX_DOCUMENT_CHARS + " characters"));
            return null;
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(document);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            problems.add(new ModelProblem(pathWhereReadingStopped(e),
                                          "not valid YAML" + where + ": " + e.getOriginalMessage()));
            return null;
        }
        if (tree == null || !tree.isObject()) {
            problems.add(new ModelProblem("", "must be a YAML mapping with id, version, fit, engagement and bands"));
            return null;
        }
        DocumentNode root = new DocumentNode(tree, "", problems);
        root.allowOnly(Set.of("id", "version", "description", "fit", "engagement", "bands", "total_floor",
                              "lifecycle", "accounts"));
        String id = root.string("id", true);
        Integer version = root.integer("version", true);
        String description = root.string("description", false);
        Double floor = root.number("total_floor", false);
        Fit fit = fit(root.object("fit", false));
        Engagement engagement = engagement(root.object("engagement", false));
        Bands bands = bands(root.object("bands", true));
        ModelDefinition.Lifecycle lifecycle = ModelDefinition.Lifecycle.DEFAULT;
        DocumentNode lifecycleNode = root.object("lifecycle", false);
        if (lifecycleNode != null) {
            lifecycleNode.allowOnly(Set.of("recycle_resets_engagement", "mql_sla_hours", "iql_requires",
                                           "recycle_cool_down_days", "on_model_change"));
            List<FitField> iql = new ArrayList<>();
            for (String name : lifecycleNode.strings("iql_requires", n -> n)) {
                try {
                    iql.add(FitField.valueOf(name.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    lifecycleNode.problem("iql_requires", "unknown field '" + name + "'");
                }
            }
            String onModelChange = lifecycleNode.string("on_model_change", false);
            ModelChangePolicy policy = ModelChangePolicy.KEEP;
            if (onModelChange != null) {
                try {
                    policy = ModelChangePolicy.valueOf(onModelChange.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    lifecycleNode.problem("on_model_change", "must be keep or requalify");
                }
            }
            Double coolDown = lifecycleNode.number("recycle_cool_down_days", false);
            if (coolDown != null && !(coolDown >= 0 && coolDown <= 3650)) {
                lifecycleNode.problem("recycle_cool_down_days", "must be 0-3650 days");
            }
            lifecycle = new ModelDefinition.Lifecycle(lifecycleNode.bool("recycle_resets_engagement"),
                                                      lifecycleNode.number("mql_sla_hours", false), iql, coolDown,
                                                      policy);
        }
        ModelDefinition.Accounts accounts = ModelDefinition.Accounts.DEFAULT;
        DocumentNode accountsNode = root.object("accounts", false);
        if (accountsNode != null) {
            accountsNode.allowOnly(Set.of("rollup", "cap", "top_n"));
            String rollup = accountsNode.string("rollup", true);
            Double cap = accountsNode.number("cap", false);
            Integer topN = accountsNode.integer("top_n", false);
            if (rollup != null && !Set.of("max", "sum", "top_n_average").contains(rollup)) {
                accountsNode.problem("rollup", "must be max, sum or top_n_average");
            }
            if ("sum".equals(rollup) && cap == null) {
                accountsNode.problem("cap", "is required for rollup: sum");
            }
            if (topN != null && topN < 1) {
                accountsNode.problem("top_n", "must be at least 1");
            }
            accounts = new ModelDefinition.Accounts(rollup == null ? "max" : rollup, cap == null ? 0 : cap,
                                                    topN == null ? 3 : topN);
        }
        if (id == null || version == null || bands == null) {
            return null;
        }
        return new ModelDefinition(id, version, description == null ? "" : description, fit, engagement,
                                   floor == null ? Double.NEGATIVE_INFINITY : floor, bands, lifecycle, accounts);
    }

    /** The document path (such as {@code fit.rules[0].points}) the reader was at when it failed, or empty. */
    private static String pathWhereReadingStopped(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser)) {
            return "";
        }
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (var context = parser.getParsingContext(); context != null && !context.inRoot();
             context = context.getParent()) {
            if (context.inObject() && context.getCurrentName() != null) {
                parts.push("." + context.getCurrentName());
            } else if (context.inArray()) {
                parts.push("[" + Math.max(0, context.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private <T> T source(T element, DocumentNode node) {
        sources.put(element, node.path());
        return element;
    }

    private Fit fit(DocumentNode node) {
        if (node == null) {
            return new Fit(List.of(), List.of(), List.of());
        }
        node.allowOnly(Set.of("rules", "groups", "exclusions"));
        List<FitRule> rules = new ArrayList<>();
        for (DocumentNode rule : node.list("rules")) {
            if (!rule.isObject()) {
                continue;
            }
            rule.allowOnly(Set.of("id", "field", "points", "group", "equals", "in", "range", "regex"));
            String id = rule.string("id", true);
            FitField field = field(rule);
            ValueMatcher match = matcher(rule);
            Double points = rule.number("points", true);
            if (id != null && field != null && match != null && points != null) {
                rules.add(source(new FitRule(id, field, match, points, rule.string("group", false)), rule));
            }
        }
        List<Exclusion> exclusions = new ArrayList<>();
        for (DocumentNode exclusion : node.list("exclusions")) {
            if (!exclusion.isObject()) {
                continue;
            }
            exclusion.allowOnly(Set.of("id", "field", "points", "suppress", "equals", "in", "range", "regex"));
            String id = exclusion.string("id", true);
            FitField field = field(exclusion);
            ValueMatcher match = matcher(exclusion);
            Double points = exclusion.number("points", false);
            boolean suppress = exclusion.bool("suppress");
            if (points == null && !suppress) {
                exclusion.problem("needs points or suppress: true");
            }
            if (id != null && field != null && match != null) {
                exclusions.add(source(new Exclusion(id, field, match, points == null ? 0 : points, suppress), exclusion));
            }
        }
        return new Fit(rules, groups(node), exclusions);
    }

    private List<Group> groups(DocumentNode section) {
        List<Group> groups = new ArrayList<>();
        for (DocumentNode group : section.list("groups")) {
            if (!group.isObject()) {
                continue;
            }
            group.allowOnly(Set.of("id", "cap", "parent", "count"));
            String id = group.string("id", true);
            Double cap = group.number("cap", true);
            String parent = group.string("parent", false);
            String count = group.string("count", false);
            if (count != null && !count.equals("sum") && !count.equals("highest")) {
                group.problem("count", "must be sum (the default) or highest");
            }
            if (id != null && cap != null) {
                groups.add(source(new Group(id, cap, parent, "highest".equals(count)), group));
            }
        }
        return groups;
    }

    private FitField field(DocumentNode rule) {
        String name = rule.string("field", true);
        if (name == null) {
            return null;
        }
        try {
            return FitField.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            rule.problem("field", "unknown field '" + name + "'; expected one of "
                                  + java.util.Arrays.stream(FitField.values())
                                                    .map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
            return null;
        }
    }

    /** Exactly one of equals, in, range or regex. */
    private ValueMatcher matcher(DocumentNode node) {
        List<String> present = new ArrayList<>();
        for (String key : List.of("equals", "in", "range", "regex")) {
            if (node.has(key)) {
                present.add(key);
            }
        }
        if (present.size() != 1) {
            node.problem(present.isEmpty() ? "needs one of equals, in, range or regex"
                                           : "has " + present + "; use exactly one of equals, in, range or regex");
            return null;
        }
        switch (present.get(0)) {
            case "equals": {
                String value = node.string("equals", true);
                return value == null ? null : new ValueMatcher.Equals(value);
            }
            case "in": {
                List<String> values = node.strings("in", v -> v);
                if (values.isEmpty()) {
                    node.problem("in", "must list at least one value");
                    return null;
                }
                return new ValueMatcher.In(new HashSet<>(values));
            }
            case "range": {
                DocumentNode range = node.object("range", true);
                if (range == null) {
                    return null;
                }
                range.allowOnly(Set.of("min", "max"));
                Double min = range.number("min", false);
                Double max = range.number("max", false);
                if (min == null && max == null) {
                    range.problem("needs min, max or both");
                    return null;
                }
                if (min != null && max != null && min > max) {
                    range.problem("min " + min + " is above max " + max);
                    return null;
                }
                return new ValueMatcher.Range(min, max);
            }
            default: {
                String regex = node.string("regex", true);
                if (regex == null) {
                    return null;
                }
                try {
                    return new ValueMatcher.Regex(com.google.re2j.Pattern.compile(
                            regex, com.google.re2j.Pattern.CASE_INSENSITIVE));
                } catch (com.google.re2j.PatternSyntaxException e) {
                    node.problem("regex", "is not a valid regular expression: " + e.getDescription());
                    return null;
                }
            }
        }
    }

    private Engagement engagement(DocumentNode node) {
        if (node == null) {
            return new Engagement(List.of(), List.of(), List.of(), null, null);
        }
        node.allowOnly(Set.of("rules", "groups", "patterns", "cap", "floor"));
        List<EngagementRule> rules = new ArrayList<>();
        for (DocumentNode rule : node.list("rules")) {
            if (!rule.isObject()) {
                continue;
            }
            rule.allowOnly(Set.of("id", "type", "when", "points", "frequency", "window_days", "half_life_days",
                                  "group"));
            String id = rule.string("id", true);
            EventMatcher match = eventMatcher(rule);
            Double points = rule.number("points", true);
            Frequency frequency = frequency(rule);
            Integer window = rule.integer("window_days", false);
            Double halfLife = rule.number("half_life_days", false);
            if (id != null && match != null && points != null && frequency != null) {
                rules.add(source(new EngagementRule(id, match, points, frequency, window, halfLife,
                                                    rule.string("group", false)), rule));
            }
        }
        List<Pattern> patterns = new ArrayList<>();
        for (DocumentNode pattern : node.list("patterns")) {
            Pattern parsed = pattern(pattern);
            if (parsed != null) {
                patterns.add(source(parsed, pattern));
            }
        }
        return new Engagement(rules, groups(node), patterns, node.number("cap", false), node.number("floor", false));
    }

    private EventMatcher eventMatcher(DocumentNode node) {
        String type = node.string("type", true);
        List<AttributePredicate> when = new ArrayList<>();
        for (DocumentNode predicate : node.list("when")) {
            if (!predicate.isObject()) {
                continue;
            }
            predicate.allowOnly(Set.of("attribute", "equals", "in", "range", "regex"));
            String attribute = predicate.string("attribute", true);
            ValueMatcher match = matcher(predicate);
            if (attribute != null && match != null) {
                when.add(new AttributePredicate(attribute, match));
            }
        }
        return type == null ? null : new EventMatcher(type, when);
    }

    /** {@code every_time}, {@code once}, {@code {per_day: N}} or {@code {max: N, per_days: D}}; default every time. */
    private Frequency frequency(DocumentNode rule) {
        if (!rule.has("frequency")) {
            return Frequency.EVERY_TIME;
        }
        if (!rule.isMapping("frequency")) {
            String word = rule.string("frequency", false);
            if ("every_time".equals(word)) {
                return Frequency.EVERY_TIME;
            }
            if ("once".equals(word)) {
                return new Frequency(Frequency.Kind.ONCE, 1, 0);
            }
            rule.problem("frequency", "must be every_time, once, {per_day: N} or {max: N, per_days: D}");
            return null;
        }
        DocumentNode nested = rule.object("frequency", true);
        nested.allowOnly(Set.of("per_day", "max", "per_days"));
        if (nested.has("per_day")) {
            Integer perDay = nested.integer("per_day", true);
            return perDay == null ? null : new Frequency(Frequency.Kind.PER_DAY, perDay, 1);
        }
        Integer max = nested.integer("max", true);
        Integer perDays = nested.integer("per_days", true);
        return max == null || perDays == null ? null : new Frequency(Frequency.Kind.PER_WINDOW, max, perDays);
    }

    private Pattern pattern(DocumentNode node) {
        if (!node.isObject()) {
            return null;
        }
        node.allowOnly(Set.of("id", "points", "half_life_days", "group", "count", "sequence", "combination"));
        String id = node.string("id", true);
        Double points = node.number("points", true);
        Double halfLife = node.number("half_life_days", false);
        String group = node.string("group", false);
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("count", "sequence", "combination")) {
            if (node.has(kind)) {
                kinds.add(kind);
            }
        }
        if (kinds.size() != 1) {
            node.problem("needs exactly one of count, sequence or combination");
            return null;
        }
        DocumentNode body = node.object(kinds.get(0), true);
        if (body == null || id == null || points == null) {
            return null;
        }
        switch (kinds.get(0)) {
            case "count": {
                body.allowOnly(Set.of("type", "when", "times", "within_days"));
                EventMatcher match = eventMatcher(body);
                Integer times = body.integer("times", true);
                Integer within = body.integer("within_days", true);
                return match == null || times == null || within == null ? null
                        : new CountPattern(id, match, times, within, points, halfLife, group);
            }
            case "sequence": {
                body.allowOnly(Set.of("steps", "same_session"));
                List<EventMatcher> steps = new ArrayList<>();
                for (DocumentNode step : body.list("steps")) {
                    if (step.isObject()) {
                        step.allowOnly(Set.of("type", "when"));
                        EventMatcher match = eventMatcher(step);
                        if (match != null) {
                            steps.add(match);
                        }
                    }
                }
                if (steps.size() < 2) {
                    body.problem("steps", "needs at least two steps");
                    return null;
                }
                return new SequencePattern(id, steps, body.bool("same_session"), points, halfLife, group);
            }
            default: {
                body.allowOnly(Set.of("requires", "within_days"));
                Integer within = body.integer("within_days", true);
                List<Requirement> requires = new ArrayList<>();
                for (DocumentNode requirement : body.list("requires")) {
                    if (requirement.isObject()) {
                        requirement.allowOnly(Set.of("type", "when", "times"));
                        EventMatcher match = eventMatcher(requirement);
                        Integer times = requirement.has("times") ? requirement.integer("times", true) : Integer.valueOf(1);
                        if (match != null && times != null) {
                            requires.add(new Requirement(match, times));
                        }
                    }
                }
                if (requires.size() < 2) {
                    body.problem("requires", "needs at least two requirements");
                    return null;
                }
                return within == null ? null : new CombinationPattern(id, requires, within, points, halfLife, group);
            }
        }
    }

    private Bands bands(DocumentNode node) {
        if (node == null) {
            return null;
        }
        node.allowOnly(Set.of("fit_grades", "engagement_levels", "demo_intent", "mql"));
        List<Grade> grades = new ArrayList<>();
        for (DocumentNode grade : node.list("fit_grades")) {
            if (grade.isObject()) {
                grade.allowOnly(Set.of("grade", "min"));
                String name = grade.string("grade", true);
                Double min = grade.number("min", true);
                if (name != null && min != null) {
                    grades.add(source(new Grade(name, min), grade));
                }
            }
        }
        List<Level> levels = new ArrayList<>();
        for (DocumentNode level : node.list("engagement_levels")) {
            if (level.isObject()) {
                level.allowOnly(Set.of("level", "min"));
                Integer number = level.integer("level", true);
                Double min = level.number("min", true);
                if (number != null && min != null) {
                    levels.add(source(new Level(number, min), level));
                }
            }
        }
        DemoIntent demoIntent = demoIntent(node.object("demo_intent", false));
        List<MqlCondition> mql = new ArrayList<>();
        DocumentNode mqlNode = node.object("mql", true);
        if (mqlNode != null) {
            mqlNode.allowOnly(Set.of("any_of"));
            for (DocumentNode condition : mqlNode.list("any_of")) {
                if (condition.isObject()) {
                    condition.allowOnly(Set.of("fit_grade_at_least", "fit_at_least", "engagement_at_least",
                                               "total_at_least"));
                    MqlCondition parsed = new MqlCondition(condition.string("fit_grade_at_least", false),
                                                           condition.number("fit_at_least", false),
                                                           condition.number("engagement_at_least", false),
                                                           condition.number("total_at_least", false));
                    if (parsed.fitGradeAtLeast() == null && parsed.fitAtLeast() == null
                        && parsed.engagementAtLeast() == null && parsed.totalAtLeast() == null) {
                        condition.problem("needs at least one threshold");
                    } else {
                        mql.add(source(parsed, condition));
                    }
                }
            }
            if (mql.isEmpty()) {
                mqlNode.problem("any_of", "needs at least one condition");
            }
        }
        return new Bands(grades, levels, demoIntent, mql);
    }

    private DemoIntent demoIntent(DocumentNode node) {
        if (node == null) {
            return null;
        }
        node.allowOnly(Set.of("min_seconds", "min_completion_percent", "min_depth_steps", "min_return_visits",
                              "min_cta_clicks", "high_at", "medium_at"));
        Double seconds = node.number("min_seconds", true);
        Double completion = node.number("min_completion_percent", true);
        Integer depth = node.integer("min_depth_steps", true);
        Integer returns = node.integer("min_return_visits", true);
        Integer clicks = node.integer("min_cta_clicks", true);
        Integer high = node.integer("high_at", true);
        Integer medium = node.integer("medium_at", true);
        if (seconds == null || completion == null || depth == null || returns == null || clicks == null
            || high == null || medium == null) {
            return null;
        }
        return new DemoIntent(seconds, completion, depth, returns, clicks, high, medium);
    }
}
