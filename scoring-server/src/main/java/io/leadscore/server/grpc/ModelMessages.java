package io.leadscore.server.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.leadscore.v1.AttributeTest;
import io.leadscore.v1.EngagementRule;
import io.leadscore.v1.EventMatch;
import io.leadscore.v1.Exclusion;
import io.leadscore.v1.FitRule;
import io.leadscore.v1.Frequency;
import io.leadscore.v1.MqlCondition;
import io.leadscore.v1.Pattern;
import io.leadscore.v1.Requirement;
import io.leadscore.v1.RuleGroup;
import io.leadscore.v1.ScoringModel;
import io.leadscore.v1.ValueTest;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * Turns the {@code leadscore.v1.ScoringModel} message into the equivalent YAML document, so both forms go through
 * the one parser and validator, and the catalog stores one canonical form.
 */
final class ModelMessages {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ModelMessages() {
    }

    static String toDocument(ScoringModel model) {
        ObjectNode root = NODES.objectNode();
        root.put("id", model.getId());
        root.put("version", model.getVersion());
        if (!model.getDescription().isEmpty()) {
            root.put("description", model.getDescription());
        }
        if (model.hasTotalFloor()) {
            root.put("total_floor", model.getTotalFloor());
        }
        if (model.hasFit()) {
            ObjectNode fit = root.putObject("fit");
            groups(fit, model.getFit().getGroupsList());
            ArrayNode rules = fit.putArray("rules");
            for (FitRule rule : model.getFit().getRulesList()) {
                ObjectNode node = rules.addObject().put("id", rule.getId()).put("field", rule.getField())
                                       .put("points", rule.getPoints());
                test(node, rule.getTest());
                optional(node, "group", rule.getGroup());
            }
            ArrayNode exclusions = fit.putArray("exclusions");
            for (Exclusion exclusion : model.getFit().getExclusionsList()) {
                ObjectNode node = exclusions.addObject().put("id", exclusion.getId())
                                            .put("field", exclusion.getField());
                test(node, exclusion.getTest());
                if (exclusion.getPoints() != 0) {
                    node.put("points", exclusion.getPoints());
                }
                if (exclusion.getSuppress()) {
                    node.put("suppress", true);
                }
            }
        }
        if (model.hasEngagement()) {
            engagement(root.putObject("engagement"), model.getEngagement());
        }
        if (model.hasBands()) {
            bands(root.putObject("bands"), model.getBands());
        }
        if (model.hasLifecycle()) {
            ObjectNode lifecycle = root.putObject("lifecycle")
                    .put("recycle_resets_engagement", model.getLifecycle().getRecycleResetsEngagement());
            if (model.getLifecycle().hasMqlSlaHours()) {
                lifecycle.put("mql_sla_hours", model.getLifecycle().getMqlSlaHours());
            }
            if (model.getLifecycle().getIqlRequiresCount() > 0) {
                ArrayNode iql = lifecycle.putArray("iql_requires");
                model.getLifecycle().getIqlRequiresList().forEach(iql::add);
            }
            if (model.getLifecycle().hasRecycleCoolDownDays()) {
                lifecycle.put("recycle_cool_down_days", model.getLifecycle().getRecycleCoolDownDays());
            }
            switch (model.getLifecycle().getOnModelChange()) {
                case MODEL_CHANGE_POLICY_REQUALIFY -> lifecycle.put("on_model_change", "requalify");
                case MODEL_CHANGE_POLICY_KEEP -> lifecycle.put("on_model_change", "keep");
                default -> { } // unspecified: the model's default, keep
            }
        }
        if (model.hasAccounts()) {
            ObjectNode accounts = root.putObject("accounts").put("rollup", model.getAccounts().getRollup());
            if (model.getAccounts().hasCap()) {
                accounts.put("cap", model.getAccounts().getCap());
            }
            if (model.getAccounts().hasTopN()) {
                accounts.put("top_n", model.getAccounts().getTopN());
            }
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void engagement(ObjectNode node, io.leadscore.v1.EngagementSection section) {
        if (section.hasCap()) {
            node.put("cap", section.getCap());
        }
        if (section.hasFloor()) {
            node.put("floor", section.getFloor());
        }
        groups(node, section.getGroupsList());
        ArrayNode rules = node.putArray("rules");
        for (EngagementRule rule : section.getRulesList()) {
            ObjectNode item = rules.addObject().put("id", rule.getId());
            match(item, rule.getMatch());
            item.put("points", rule.getPoints());
            frequency(item, rule.getFrequency());
            if (rule.hasWindowDays()) {
                item.put("window_days", rule.getWindowDays());
            }
            if (rule.hasHalfLifeDays()) {
                item.put("half_life_days", rule.getHalfLifeDays());
            }
            optional(item, "group", rule.getGroup());
        }
        ArrayNode patterns = node.putArray("patterns");
        for (Pattern pattern : section.getPatternsList()) {
            ObjectNode item = patterns.addObject().put("id", pattern.getId()).put("points", pattern.getPoints());
            if (pattern.hasHalfLifeDays()) {
                item.put("half_life_days", pattern.getHalfLifeDays());
            }
            optional(item, "group", pattern.getGroup());
            switch (pattern.getKindCase()) {
                case COUNT -> {
                    ObjectNode count = item.putObject("count");
                    match(count, pattern.getCount().getMatch());
                    count.put("times", pattern.getCount().getTimes()).put("within_days",
                                                                          pattern.getCount().getWithinDays());
                }
                case SEQUENCE -> {
                    ObjectNode sequence = item.putObject("sequence");
                    sequence.put("same_session", pattern.getSequence().getSameSession());
                    ArrayNode steps = sequence.putArray("steps");
                    pattern.getSequence().getStepsList().forEach(step -> match(steps.addObject(), step));
                }
                case COMBINATION -> {
                    ObjectNode combination = item.putObject("combination");
                    combination.put("within_days", pattern.getCombination().getWithinDays());
                    ArrayNode requires = combination.putArray("requires");
                    for (Requirement requirement : pattern.getCombination().getRequiresList()) {
                        ObjectNode required = requires.addObject();
                        match(required, requirement.getMatch());
                        if (requirement.getTimes() > 0) {
                            required.put("times", requirement.getTimes());
                        }
                    }
                }
                default -> {
                    // no kind: the parser reports "needs exactly one of count, sequence or combination"
                }
            }
        }
    }

    private static void bands(ObjectNode node, io.leadscore.v1.Bands bands) {
        ArrayNode grades = node.putArray("fit_grades");
        bands.getFitGradesList().forEach(g -> grades.addObject().put("grade", g.getGrade()).put("min", g.getMin()));
        ArrayNode levels = node.putArray("engagement_levels");
        bands.getEngagementLevelsList().forEach(l -> levels.addObject().put("level", l.getLevel())
                                                               .put("min", l.getMin()));
        if (bands.hasDemoIntent()) {
            var demo = bands.getDemoIntent();
            node.putObject("demo_intent").put("min_seconds", demo.getMinSeconds())
                .put("min_completion_percent", demo.getMinCompletionPercent())
                .put("min_depth_steps", demo.getMinDepthSteps()).put("min_return_visits", demo.getMinReturnVisits())
                .put("min_cta_clicks", demo.getMinCtaClicks()).put("high_at", demo.getHighAt())
                .put("medium_at", demo.getMediumAt());
        }
        ArrayNode anyOf = node.putObject("mql").putArray("any_of");
        for (MqlCondition condition : bands.getMqlAnyOfList()) {
            ObjectNode item = anyOf.addObject();
            optional(item, "fit_grade_at_least", condition.getFitGradeAtLeast());
            if (condition.hasFitAtLeast()) {
                item.put("fit_at_least", condition.getFitAtLeast());
            }
            if (condition.hasEngagementAtLeast()) {
                item.put("engagement_at_least", condition.getEngagementAtLeast());
            }
            if (condition.hasTotalAtLeast()) {
                item.put("total_at_least", condition.getTotalAtLeast());
            }
        }
    }

    private static void groups(ObjectNode node, List<RuleGroup> groups) {
        ArrayNode array = node.putArray("groups");
        for (RuleGroup group : groups) {
            ObjectNode item = array.addObject().put("id", group.getId()).put("cap", group.getCap());
            optional(item, "parent", group.getParent());
            optional(item, "count", group.getCount());
        }
    }

    private static void match(ObjectNode node, EventMatch match) {
        node.put("type", match.getType());
        if (match.getWhenCount() > 0) {
            ArrayNode when = node.putArray("when");
            for (AttributeTest test : match.getWhenList()) {
                test(when.addObject().put("attribute", test.getAttribute()), test.getTest());
            }
        }
    }

    private static void test(ObjectNode node, ValueTest test) {
        switch (test.getTestCase()) {
            case EQUALS -> node.put("equals", test.getEquals());
            case IN -> {
                ArrayNode values = node.putArray("in");
                test.getIn().getValuesList().forEach(values::add);
            }
            case RANGE -> {
                ObjectNode range = node.putObject("range");
                if (test.getRange().hasMin()) {
                    range.put("min", test.getRange().getMin());
                }
                if (test.getRange().hasMax()) {
                    range.put("max", test.getRange().getMax());
                }
            }
            case REGEX -> node.put("regex", test.getRegex());
            default -> {
                // no test: the parser reports "needs one of equals, in, range or regex"
            }
        }
    }

    private static void frequency(ObjectNode node, Frequency frequency) {
        switch (frequency.getLimitCase()) {
            case ONCE -> node.put("frequency", "once");
            case PER_DAY -> node.putObject("frequency").put("per_day", frequency.getPerDay());
            case WINDOW -> node.putObject("frequency").put("max", frequency.getWindow().getMax())
                               .put("per_days", frequency.getWindow().getPerDays());
            default -> node.put("frequency", "every_time");
        }
    }

    private static void optional(ObjectNode node, String key, String value) {
        if (!value.isEmpty()) {
            node.put(key, value);
        }
    }
}
