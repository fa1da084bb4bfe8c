package io.leadscore.server.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Points, caps, floors and thresholds a model may state, and the document mistakes the parser no longer lets pass. */
class ModelBoundsTest {

    private static final String BANDS = """
            bands:
              fit_grades: [{grade: A, min: 10}, {grade: B, min: 0}]
              engagement_levels: [{level: 1, min: 10}, {level: 2, min: 0}]
              mql: {any_of: [{total_at_least: 50}]}
            """;

    @Test
    void pointsBeyondAMillionAreRefusedWithTheirPath() {
        ModelDocumentException error = catchThrowableOfType(() -> ModelParser.parse("""
                id: huge
                version: 1
                fit:
                  rules:
                    - {id: one, field: job_title, regex: ceo, points: 1e308}
                    - {id: two, field: job_title, regex: cto, points: -1000001}
                    - {id: fine, field: job_title, regex: cfo, points: 1000000}
                engagement:
                  rules:
                    - {id: view, type: page_view, points: 2e6}
                """ + BANDS), ModelDocumentException.class);

        assertThat(error.problems()).extracting(ModelProblem::path)
                                    .containsExactly("fit.rules[0].points", "fit.rules[1].points",
                                                     "engagement.rules[0].points");
        assertThat(error.problems().get(0).reason()).isEqualTo("must be between -1000000 and 1000000");
    }

    @Test
    void capsFloorsBandsAndThresholdsBeyondABillionAreRefused() {
        ModelDocumentException error = catchThrowableOfType(() -> ModelParser.parse("""
                id: levels
                version: 1
                total_floor: -1e12
                engagement:
                  cap: 1e10
                  groups: [{id: g, cap: 5e9}]
                bands:
                  fit_grades: [{grade: A, min: 2e9}, {grade: B, min: 0}]
                  engagement_levels: [{level: 1, min: 10}, {level: 2, min: 0}]
                  mql: {any_of: [{total_at_least: 1e300}]}
                lifecycle: {mql_sla_hours: 1e9}
                """), ModelDocumentException.class);

        assertThat(error.problems()).extracting(ModelProblem::path).containsExactlyInAnyOrder(
                "total_floor", "engagement.cap", "engagement.groups[0].cap", "bands.fit_grades[0].min",
                "bands.mql.any_of[0].total_at_least", "lifecycle.mql_sla_hours");
    }

    @Test
    void aKeyTwiceInOneMappingIsRefusedWithItsPath() {
        ModelDocumentException error = catchThrowableOfType(() -> ModelParser.parse("""
                id: twice
                version: 1
                fit:
                  rules:
                    - id: ceo
                      field: job_title
                      regex: ceo
                      points: 5
                      points: 50
                """ + BANDS), ModelDocumentException.class);

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("fit.rules[0].points");
            assertThat(problem.reason()).contains("line 9").contains("Duplicate field 'points'");
        });
    }

    @Test
    void aNonFiniteNumberInAnAttributeNeverMatchesARangeNorCountsAsADemoSignal() {
        ValueMatcher.Range atLeastTen = new ValueMatcher.Range(10.0, null);

        assertThat(atLeastTen.matches("Infinity")).isFalse();
        assertThat(atLeastTen.matches("1e999")).isFalse();
        assertThat(new ValueMatcher.Range(null, 10.0).matches("-Infinity")).isFalse();
        assertThat(new ValueMatcher.Range(null, null).matches("NaN")).isFalse();
        assertThat(atLeastTen.matches("12")).isTrue();
    }
}
