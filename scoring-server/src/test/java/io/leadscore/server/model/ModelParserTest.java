package io.leadscore.server.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ModelParserTest {

    private static final String BANDS = """
            bands:
              fit_grades: [{grade: A, min: 10}, {grade: B, min: 0}]
              engagement_levels: [{level: 1, min: 10}, {level: 2, min: 0}]
              mql: {any_of: [{total_at_least: 50}]}
            """;

    @Test
    void theShippedDefaultModelIsValid() {
        ModelDefinition model = ModelParser.parse(BuiltInModels.defaultDocument());

        assertThat(model.versionName()).isEqualTo("default@1");
        assertThat(model.engagement().patterns()).hasSize(3);
    }

    /**
     * A pattern that backtracks exponentially in java.util.regex, (a+)+$, against a title chosen to trigger it: with
     * RE2 the match is linear. The timeout only catches a hang (2^40 steps); it measures nothing.
     */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aModelRegexCannotBeTurnedIntoADenialOfServiceByTheValuesItMeets() {
        RuleBasedModel model = new RuleBasedModel(ModelParser.parse("""
                id: redos
                version: 1
                fit:
                  rules:
                    - {id: evil, field: job_title, regex: '(a+)+$', points: 5}
                """ + BANDS));
        io.leadscore.server.scoring.FitProfile hostile = new io.leadscore.server.scoring.FitProfile(
                "a".repeat(40) + "!", io.leadscore.server.scoring.Seniority.UNKNOWN, "", 0, "", 0, "",
                java.util.List.of(), java.util.List.of());
        io.leadscore.server.scoring.LeadFacts facts = new io.leadscore.server.scoring.LeadFacts(
                "acme.com", "acme.com", hostile, java.util.List.of(), java.util.List.of());

        assertThat(model.score(facts, java.time.Instant.parse("2026-06-01T00:00:00Z")).fit()).isZero();
    }

    @Test
    void aMinimalModelParses() {
        ModelDefinition model = ModelParser.parse("id: tiny\nversion: 3\n" + BANDS);

        assertThat(model.versionName()).isEqualTo("tiny@3");
        assertThat(model.fit().rules()).isEmpty();
    }

    @Test
    void everyProblemIsListedWithItsPath() {
        String broken = """
                id: Broken Model
                version: 0
                colour: blue
                fit:
                  groups:
                    - {id: a, cap: 10, parent: b}
                    - {id: b, cap: 10, parent: a}
                  rules:
                    - {id: title, field: job_title, regex: '([unclosed', points: 5}
                    - {id: size, field: shoe_size, equals: '42', points: 5}
                    - {id: orphan, field: country, equals: DE, points: 5, group: nowhere}
                engagement:
                  cap: 5
                  floor: 10
                  rules:
                    - {id: pricing, type: page_view, points: 10, half_life_days: -3}
                    - {id: pricing, type: teleport, points: 1, frequency: sometimes}
                    - {id: nopoints, type: page_view}
                  patterns:
                    - {id: lonely, sequence: {steps: [{type: page_view}]}, points: 5}
                bands:
                  fit_grades: [{grade: A, min: 0}, {grade: B, min: 10}]
                  engagement_levels: [{level: 1, min: 0}]
                  mql: {any_of: [{fit_grade_at_least: Z}]}
                """;

        ModelDocumentException error = catchThrowableOfType(ModelDocumentException.class,
                                                            () -> ModelParser.parse(broken));

        assertThat(error.problems()).extracting(ModelProblem::path).contains(
                "colour", "fit.rules[0].regex", "fit.rules[1].field", "engagement.rules[1].frequency",
                "engagement.rules[2].points", "engagement.patterns[0].sequence.steps",
                // semantic problems are reported in the same answer
                "id", "version", "fit.groups[0].parent", "fit.rules[2].group", "engagement.rules[0].half_life_days",
                "engagement.cap", "bands.fit_grades[1].min", "bands.mql.any_of[0].fit_grade_at_least");
        assertThat(error.problems()).allSatisfy(problem -> assertThat(problem.reason()).isNotBlank());
    }

    @Test
    void semanticProblemsAreListedOnceTheStructureIsRight() {
        String model = """
                id: Bad_Id
                version: 0
                fit:
                  groups:
                    - {id: a, cap: 10, parent: b}
                    - {id: b, cap: 10, parent: a}
                  rules:
                    - {id: orphan, field: country, equals: DE, points: 5, group: nowhere}
                engagement:
                  cap: 5
                  floor: 10
                  rules:
                    - {id: pricing, type: page_view, points: 10, half_life_days: -3}
                    - {id: pricing, type: teleport, points: 1}
                bands:
                  fit_grades: [{grade: A, min: 0}, {grade: B, min: 10}]
                  engagement_levels: [{level: 1, min: 0}]
                  mql: {any_of: [{fit_grade_at_least: Z}]}
                """;

        ModelDocumentException error = catchThrowableOfType(ModelDocumentException.class,
                                                            () -> ModelParser.parse(model));

        assertThat(error.problems()).extracting(ModelProblem::path).containsExactlyInAnyOrder(
                "id", "version", "fit.groups[0].parent", "fit.groups[1].parent", "fit.rules[0].group",
                "engagement.rules[0].half_life_days", "engagement.rules[1].id", "engagement.rules[1].type",
                "engagement.cap", "bands.fit_grades[1].min", "bands.mql.any_of[0].fit_grade_at_least");
    }

    @Test
    void accountRollupsAreChecked() {
        ModelDefinition sum = ModelParser.parse("id: a\nversion: 1\naccounts: {rollup: sum, cap: 150}\n" + BANDS);
        ModelDocumentException broken = catchThrowableOfType(ModelDocumentException.class, () -> ModelParser.parse(
                "id: a\nversion: 1\naccounts: {rollup: median, top_n: 0}\n" + BANDS));
        ModelDocumentException noCap = catchThrowableOfType(ModelDocumentException.class, () -> ModelParser.parse(
                "id: a\nversion: 1\naccounts: {rollup: sum}\n" + BANDS));

        assertThat(sum.accounts()).isEqualTo(new ModelDefinition.Accounts("sum", 150, 3));
        assertThat(broken.problems()).extracting(ModelProblem::path)
                                     .containsExactlyInAnyOrder("accounts.rollup", "accounts.top_n");
        assertThat(noCap.problems()).extracting(ModelProblem::path).containsExactly("accounts.cap");
    }

    @Test
    void notYamlAtAllIsOneProblem() {
        assertThatThrownBy(() -> ModelParser.parse("id: [unclosed"))
                .isInstanceOfSatisfying(ModelDocumentException.class,
                                        e -> assertThat(e.problems()).singleElement()
                                                                     .extracting(ModelProblem::reason)
                                                                     .asString().startsWith("not valid YAML"));
    }
}
