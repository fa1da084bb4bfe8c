package io.leadscore.server.grpc;

import io.leadscore.server.model.ModelDefinition;
import io.leadscore.server.model.ModelDocumentException;
import io.leadscore.server.model.ModelParser;
import io.leadscore.server.model.ModelProblem;
import io.leadscore.v1.AttributeTest;
import io.leadscore.v1.Bands;
import io.leadscore.v1.CountPattern;
import io.leadscore.v1.EngagementLevel;
import io.leadscore.v1.EngagementRule;
import io.leadscore.v1.EngagementSection;
import io.leadscore.v1.EventMatch;
import io.leadscore.v1.FitGrade;
import io.leadscore.v1.FitRule;
import io.leadscore.v1.FitSection;
import io.leadscore.v1.Frequency;
import io.leadscore.v1.FrequencyWindow;
import io.leadscore.v1.MqlCondition;
import io.leadscore.v1.NumberRange;
import io.leadscore.v1.Pattern;
import io.leadscore.v1.RuleGroup;
import io.leadscore.v1.ScoringModel;
import io.leadscore.v1.StringList;
import io.leadscore.v1.ValueTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ModelMessagesTest {

    private static final String YAML = """
            id: small
            version: 4
            description: pricing focus
            total_floor: 0
            fit:
              groups: [{id: role, cap: 20, count: highest}]
              rules:
                - {id: vp, field: seniority, equals: vp, points: 15, group: role}
                - {id: size, field: company_size, range: {min: 50, max: 999}, points: 10}
                - {id: stack, field: technologies, in: [salesforce, hubspot], points: 5}
            engagement:
              cap: 100
              rules:
                - id: pricing
                  type: page_view
                  when: [{attribute: page_category, equals: pricing}]
                  points: 10
                  frequency: {max: 3, per_days: 30}
                  half_life_days: 60
                - {id: demo, type: demo_requested, points: 30, frequency: once, window_days: 180}
              patterns:
                - id: streak
                  points: 15
                  count: {type: page_view, when: [{attribute: page_category, regex: '^pric'}], times: 3, within_days: 7}
            bands:
              fit_grades: [{grade: A, min: 20}, {grade: B, min: 0}]
              engagement_levels: [{level: 1, min: 40}, {level: 2, min: 0}]
              mql: {any_of: [{fit_grade_at_least: A, engagement_at_least: 30}, {total_at_least: 70}]}
            """;

    private static ValueTest equalsTest(String value) {
        return ValueTest.newBuilder().setEquals(value).build();
    }

    private static ScoringModel message() {
        EventMatch pricingView = EventMatch.newBuilder().setType("page_view").addWhen(AttributeTest.newBuilder()
                .setAttribute("page_category").setTest(equalsTest("pricing"))).build();
        return ScoringModel.newBuilder()
                .setId("small").setVersion(4).setDescription("pricing focus").setTotalFloor(0)
                .setFit(FitSection.newBuilder()
                        .addGroups(RuleGroup.newBuilder().setId("role").setCap(20).setCount("highest"))
                        .addRules(FitRule.newBuilder().setId("vp").setField("seniority").setTest(equalsTest("vp"))
                                         .setPoints(15).setGroup("role"))
                        .addRules(FitRule.newBuilder().setId("size").setField("company_size").setPoints(10)
                                         .setTest(ValueTest.newBuilder().setRange(
                                                 NumberRange.newBuilder().setMin(50).setMax(999))))
                        .addRules(FitRule.newBuilder().setId("stack").setField("technologies").setPoints(5)
                                         .setTest(ValueTest.newBuilder().setIn(StringList.newBuilder()
                                                 .addValues("salesforce").addValues("hubspot")))))
                .setEngagement(EngagementSection.newBuilder().setCap(100)
                        .addRules(EngagementRule.newBuilder().setId("pricing").setMatch(pricingView).setPoints(10)
                                                .setFrequency(Frequency.newBuilder().setWindow(
                                                        FrequencyWindow.newBuilder().setMax(3).setPerDays(30)))
                                                .setHalfLifeDays(60))
                        .addRules(EngagementRule.newBuilder().setId("demo").setPoints(30).setWindowDays(180)
                                                .setMatch(EventMatch.newBuilder().setType("demo_requested"))
                                                .setFrequency(Frequency.newBuilder().setOnce(true)))
                        .addPatterns(Pattern.newBuilder().setId("streak").setPoints(15).setCount(
                                CountPattern.newBuilder().setTimes(3).setWithinDays(7).setMatch(
                                        EventMatch.newBuilder().setType("page_view").addWhen(AttributeTest.newBuilder()
                                                .setAttribute("page_category")
                                                .setTest(ValueTest.newBuilder().setRegex("^pric")))))))
                .setBands(Bands.newBuilder()
                        .addFitGrades(FitGrade.newBuilder().setGrade("A").setMin(20))
                        .addFitGrades(FitGrade.newBuilder().setGrade("B").setMin(0))
                        .addEngagementLevels(EngagementLevel.newBuilder().setLevel(1).setMin(40))
                        .addEngagementLevels(EngagementLevel.newBuilder().setLevel(2).setMin(0))
                        .addMqlAnyOf(MqlCondition.newBuilder().setFitGradeAtLeast("A").setEngagementAtLeast(30))
                        .addMqlAnyOf(MqlCondition.newBuilder().setTotalAtLeast(70)))
                .build();
    }

    @Test
    void theMessageFormIsTheYamlForm() {
        ModelDefinition fromMessage = ModelParser.parse(ModelMessages.toDocument(message()));
        ModelDefinition fromYaml = ModelParser.parse(YAML);

        assertThat(fromMessage).isEqualTo(fromYaml);
    }

    @Test
    void aBrokenMessageReportsProblemsInDocumentTerms() {
        ScoringModel broken = message().toBuilder().setVersion(0)
                .setEngagement(message().getEngagement().toBuilder().setRules(0,
                        message().getEngagement().getRules(0).toBuilder().setHalfLifeDays(-1)))
                .build();

        ModelDocumentException error = catchThrowableOfType(ModelDocumentException.class,
                () -> ModelParser.parse(ModelMessages.toDocument(broken)));

        assertThat(error.problems()).extracting(ModelProblem::path)
                                    .containsExactlyInAnyOrder("version", "engagement.rules[0].half_life_days");
    }
}
