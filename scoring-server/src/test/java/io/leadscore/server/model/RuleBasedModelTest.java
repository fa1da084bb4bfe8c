package io.leadscore.server.model;

import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.Seniority;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The language's features one by one, on small models written for each. */
class RuleBasedModelTest {

    private static final Instant T0 = Instant.parse("2026-04-01T10:00:00Z");
    private static final String BANDS = """
            bands:
              fit_grades: [{grade: A, min: 10}, {grade: B, min: -100}]
              engagement_levels: [{level: 1, min: 20}, {level: 2, min: -100}]
              mql: {any_of: [{total_at_least: 30}, {fit_grade_at_least: A, engagement_at_least: 5}]}
            """;

    private static RuleBasedModel model(String body) {
        return new RuleBasedModel(ModelParser.parse("id: test\nversion: 1\n" + body + BANDS));
    }

    private static EngagementFact event(String id, String type, Duration after, String session,
                                        Map<String, String> attributes) {
        return new EngagementFact(id, type, T0.plus(after), session, "", attributes);
    }

    private static EngagementFact event(String id, String type, Duration after) {
        return event(id, type, after, "", Map.of());
    }

    private static LeadFacts facts(EngagementFact... engagements) {
        return new LeadFacts("acme.com", "acme.com", FitProfile.EMPTY, List.of(engagements));
    }

    private static double engagement(RuleBasedModel model, LeadFacts facts, Duration asOf) {
        return model.score(facts, T0.plus(asOf)).engagement();
    }

    @Test
    void onceCountsTheFirstOnly() {
        RuleBasedModel model = model("engagement: {rules: [{id: demo, type: demo_requested, points: 30, frequency: once}]}\n");
        LeadFacts facts = facts(event("a", "demo_requested", Duration.ZERO), event("b", "demo_requested", Duration.ofDays(1)));

        ScoreExplanation explanation = model.explain(facts, T0.plus(Duration.ofDays(2)));

        assertThat(explanation.card().engagement()).isEqualTo(30);
        assertThat(explanation.lines()).extracting(ScoreExplanation.Line::note)
                                       .contains("counts once; already counted");
    }

    @Test
    void perDayAndPerWindowLimits() {
        RuleBasedModel perDay = model("engagement: {rules: [{id: open, type: email_opened, points: 1, frequency: {per_day: 2}}]}\n");
        RuleBasedModel perWeek = model("engagement: {rules: [{id: open, type: email_opened, points: 1, frequency: {max: 2, per_days: 7}}]}\n");
        LeadFacts facts = facts(event("a", "email_opened", Duration.ofHours(1)), event("b", "email_opened", Duration.ofHours(2)),
                                event("c", "email_opened", Duration.ofHours(3)), event("d", "email_opened", Duration.ofDays(3)),
                                event("e", "email_opened", Duration.ofDays(8)));

        assertThat(engagement(perDay, facts, Duration.ofDays(9))).isEqualTo(4);
        assertThat(engagement(perWeek, facts, Duration.ofDays(9))).isEqualTo(3);
    }

    @Test
    void onlyEngagementsInsideTheWindowCount() {
        RuleBasedModel model = model("engagement: {rules: [{id: view, type: page_view, points: 2, window_days: 30}]}\n");
        LeadFacts facts = facts(event("old", "page_view", Duration.ZERO), event("new", "page_view", Duration.ofDays(25)));

        assertThat(engagement(model, facts, Duration.ofDays(20))).isEqualTo(2);
        assertThat(engagement(model, facts, Duration.ofDays(40))).isEqualTo(2);
        assertThat(engagement(model, facts, Duration.ofDays(60))).isZero();
    }

    @Test
    void theFirstMatchingRuleWinsAndAttributesDecide() {
        RuleBasedModel model = model("""
                engagement:
                  rules:
                    - {id: completed, type: video_watched, when: [{attribute: percent_watched, range: {min: 90}}], points: 5}
                    - {id: replay, type: video_watched, when: [{attribute: replayed_section, in: [pricing, integrations]}], points: 4}
                    - {id: glance, type: video_watched, points: 1}
                """);
        LeadFacts facts = facts(event("a", "video_watched", Duration.ZERO, "", Map.of("percent_watched", "95")),
                                event("b", "video_watched", Duration.ZERO, "", Map.of("replayed_section", "Pricing")),
                                event("c", "video_watched", Duration.ZERO, "", Map.of("percent_watched", "40")));

        assertThat(engagement(model, facts, Duration.ZERO)).isEqualTo(10);
    }

    @Test
    void negativePointsStopAtTheFloor() {
        RuleBasedModel model = model("engagement: {floor: -5, rules: [{id: unsubscribe, type: email_clicked, points: -10}]}\n");

        assertThat(engagement(model, facts(event("u", "email_clicked", Duration.ZERO)), Duration.ZERO)).isEqualTo(-5);
    }

    @Test
    void nestedGroupCapsClipChildrenThenParents() {
        RuleBasedModel model = model("""
                engagement:
                  groups:
                    - {id: content, cap: 12}
                    - {id: downloads, cap: 8, parent: content}
                  rules:
                    - {id: download, type: content_download, points: 5, group: downloads}
                    - {id: webinar, type: webinar_registered, points: 5, group: content}
                """);
        LeadFacts facts = facts(event("d1", "content_download", Duration.ZERO), event("d2", "content_download", Duration.ZERO),
                                event("w1", "webinar_registered", Duration.ZERO));

        ScoreExplanation explanation = model.explain(facts, T0);

        assertThat(explanation.card().engagement()).isEqualTo(12);
        assertThat(explanation.lines()).filteredOn(l -> l.kind() == ScoreExplanation.Kind.CAP)
                                       .extracting(ScoreExplanation.Line::ruleId).containsExactly("downloads", "content");
    }

    @Test
    void aSequenceMustHappenInOrderWithinOneSession() {
        RuleBasedModel model = model("""
                engagement:
                  patterns:
                    - {id: watch_then_ask, points: 10, sequence: {same_session: true, steps: [{type: video_watched}, {type: form_submitted}]}}
                """);
        LeadFacts split = facts(event("v", "video_watched", Duration.ZERO, "s1", Map.of()),
                                event("f", "form_submitted", Duration.ofMinutes(5), "s2", Map.of()));
        LeadFacts reversed = facts(event("f", "form_submitted", Duration.ZERO, "s1", Map.of()),
                                   event("v", "video_watched", Duration.ofMinutes(5), "s1", Map.of()));
        LeadFacts together = facts(event("v", "video_watched", Duration.ZERO, "s1", Map.of()),
                                   event("f", "form_submitted", Duration.ofMinutes(5), "s1", Map.of()));

        assertThat(engagement(model, split, Duration.ofHours(1))).isZero();
        assertThat(engagement(model, reversed, Duration.ofHours(1))).isZero();
        assertThat(engagement(model, together, Duration.ofHours(1))).isEqualTo(10);
    }

    @Test
    void aCombinationNeedsEveryRequirementWithinItsWindow() {
        RuleBasedModel model = model("""
                engagement:
                  patterns:
                    - id: research
                      points: 20
                      combination:
                        within_days: 30
                        requires:
                          - {type: content_download}
                          - {type: page_view, when: [{attribute: page_category, equals: product}], times: 2}
                """);
        Map<String, String> product = Map.of("page_category", "product");
        LeadFacts spread = facts(event("d", "content_download", Duration.ZERO),
                                 event("p1", "page_view", Duration.ofDays(20), "", product),
                                 event("p2", "page_view", Duration.ofDays(40), "", product));
        LeadFacts close = facts(event("d", "content_download", Duration.ZERO),
                                event("p1", "page_view", Duration.ofDays(10), "", product),
                                event("p2", "page_view", Duration.ofDays(20), "", product));

        assertThat(engagement(model, spread, Duration.ofDays(50))).isZero();
        ScoreExplanation explanation = model.explain(close, T0.plus(Duration.ofDays(50)));
        assertThat(explanation.card().engagement()).isEqualTo(20);
        assertThat(explanation.lines()).filteredOn(l -> l.kind() == ScoreExplanation.Kind.PATTERN)
                                       .singleElement().satisfies(line -> {
            assertThat(line.kind()).isEqualTo(ScoreExplanation.Kind.PATTERN);
            assertThat(line.eventIds()).containsExactlyInAnyOrder("d", "p1", "p2");
            assertThat(line.at()).isEqualTo(T0.plus(Duration.ofDays(20)));
        });
    }

    @Test
    void aSuppressingExclusionZeroesTheScoreAndBlocksMql() {
        RuleBasedModel model = model("""
                fit:
                  rules: [{id: vp, field: seniority, equals: vp, points: 40}]
                  exclusions: [{id: competitor, field: account_domain, in: [acme.com], suppress: true}]
                """);
        LeadFacts facts = new LeadFacts("acme.com", "acme.com",
                                        new FitProfile("", Seniority.VP, "", 0, "", 0, "", List.of(), List.of()),
                                        List.of());

        ScoreExplanation explanation = model.explain(facts, T0);

        assertThat(explanation.card().fit()).isEqualTo(40);
        assertThat(explanation.card().total()).isZero();
        assertThat(explanation.card().qualifies()).isFalse();
    }

    @Test
    void mqlByGradeAndEngagementOrByTotal() {
        RuleBasedModel model = model("""
                fit:
                  rules: [{id: big, field: company_size, range: {min: 100}, points: 10}]
                engagement:
                  rules: [{id: download, type: content_download, points: 5}]
                """);
        LeadFacts bigAndEngaged = new LeadFacts("acme.com", "acme.com",
                                                new FitProfile("", Seniority.UNKNOWN, "", 500, "", 0, "", List.of(), List.of()),
                                                List.of(event("d", "content_download", Duration.ZERO)));

        assertThat(model.score(bigAndEngaged, T0).qualifies()).isTrue();
        assertThat(model.score(facts(event("d", "content_download", Duration.ZERO)), T0).qualifies()).isFalse();
    }
}
