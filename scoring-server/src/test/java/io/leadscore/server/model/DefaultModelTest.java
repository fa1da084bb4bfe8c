package io.leadscore.server.model;

import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.server.scoring.Seniority;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The shipped {@code ops/models/default.yaml}, scored through the model language. */
class DefaultModelTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private final RuleBasedModel model = BuiltInModels.defaultModel();

    static EngagementFact engagement(String id, String type, Instant at, Map<String, String> attributes) {
        return new EngagementFact(id, type, at, "", "", attributes);
    }

    private static LeadFacts facts(FitProfile profile, String emailDomain, EngagementFact... engagements) {
        return new LeadFacts(emailDomain, "acme.com", profile, List.of(engagements));
    }

    private static FitProfile profile(String title, Seniority seniority, int employees) {
        return new FitProfile(title, seniority, "", employees, "", 0, "", List.of(), List.of());
    }

    @Test
    void isVersionOneOfTheDefaultModel() {
        assertThat(model.version()).isEqualTo("default@1");
    }

    @Test
    void pricingPageVisitIsWorthTenAndABlogVisitOne() {
        ScoreCard pricing = model.score(facts(FitProfile.EMPTY, "acme.com",
                engagement("e1", "page_view", T0, Map.of("page_category", "pricing"))), T0);
        ScoreCard blog = model.score(facts(FitProfile.EMPTY, "acme.com",
                engagement("e1", "page_view", T0, Map.of("page_category", "blog"))), T0);

        assertThat(pricing.engagement()).isEqualTo(10);
        assertThat(blog.engagement()).isEqualTo(1);
    }

    @Test
    void titleAndSeniorityCountOnceAsTheStrongerOne() {
        ScoreCard score = model.score(facts(profile("Chief Marketing Officer", Seniority.VP, 0), "acme.com"), T0);

        assertThat(score.fit()).isEqualTo(20);
    }

    @Test
    void personalEmailIsNegativeFitAndStudentsAreSuppressed() {
        ScoreCard gmail = model.score(facts(profile("VP Sales", Seniority.UNKNOWN, 0), "gmail.com"), T0);
        ScoreCard student = model.score(facts(profile("Marketing Student", Seniority.UNKNOWN, 0), "acme.com",
                engagement("d", "demo_requested", T0, Map.of())), T0);

        assertThat(gmail.fit()).isEqualTo(5);
        assertThat(student.total()).isZero();
        assertThat(student.qualifies()).isFalse();
    }

    @Test
    void passiveTouchesAreCappedTogether() {
        List<EngagementFact> touches = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            touches.add(engagement("o" + i, "email_opened", T0.plus(Duration.ofDays(i)), Map.of()));
            touches.add(engagement("b" + i, "page_view", T0.plus(Duration.ofDays(i)), Map.of()));
        }
        Instant asOf = T0.plus(Duration.ofDays(30));

        ScoreCard score = model.score(new LeadFacts("acme.com", "acme.com", FitProfile.EMPTY, touches), asOf);

        assertThat(score.engagement()).isEqualTo(10);
        assertThat(score.qualifies()).isFalse();
    }

    @Test
    void threePricingVisitsInAWeekAreAPattern() {
        ScoreCard score = model.score(facts(FitProfile.EMPTY, "acme.com",
                engagement("p1", "page_view", T0, Map.of("page_category", "pricing")),
                engagement("p2", "page_view", T0.plus(Duration.ofDays(2)), Map.of("page_category", "pricing")),
                engagement("p3", "page_view", T0.plus(Duration.ofDays(5)), Map.of("page_category", "pricing"))),
                T0.plus(Duration.ofDays(5)));

        double decayedVisits = 10 * Math.pow(0.5, 5 / 90.0) + 10 * Math.pow(0.5, 3 / 90.0) + 10;
        assertThat(score.engagement()).isCloseTo(decayedVisits + 15, within(1e-9));
    }

    @Test
    void engagementDecaysWithANinetyDayHalfLife() {
        LeadFacts facts = facts(FitProfile.EMPTY, "acme.com", engagement("d", "demo_requested", T0, Map.of()));

        assertThat(model.score(facts, T0).engagement()).isEqualTo(30);
        assertThat(model.score(facts, T0.plus(Duration.ofDays(90))).engagement()).isCloseTo(15, within(1e-9));
        assertThat(model.score(facts, T0.minusSeconds(1)).engagement()).isZero();
    }

    @Test
    void vpAtMidSizeCompanyWithDemoAndPricingIsAnA1Mql() {
        ScoreCard score = model.score(facts(profile("VP Marketing", Seniority.VP, 200), "acme.com",
                engagement("d", "demo_requested", T0, Map.of()),
                engagement("p", "page_view", T0, Map.of("page_category", "pricing"))), T0);

        assertThat(score.total()).isEqualTo(65);
        assertThat(score.fitGrade()).isEqualTo("B");
        assertThat(score.engagementLevel()).isEqualTo(2);
        assertThat(score.matrix()).isEqualTo("B2");
        assertThat(score.qualifies()).isTrue();
    }

    @Test
    void demoIntentIsHighWithTimeCompletionAndACtaClick() {
        ScoreCard score = model.score(facts(FitProfile.EMPTY, "acme.com",
                new EngagementFact("i1", "interactive_demo", T0, "s1", "", Map.of(
                        "seconds", "240", "completion_percent", "80", "steps_viewed", "3", "cta_clicks", "1"))), T0);
        ScoreCard glance = model.score(facts(FitProfile.EMPTY, "acme.com",
                new EngagementFact("i1", "interactive_demo", T0, "s1", "", Map.of("seconds", "20"))), T0);

        assertThat(score.demoIntent()).isEqualTo("HIGH");
        assertThat(glance.demoIntent()).isEqualTo("LOW");
        assertThat(model.score(facts(FitProfile.EMPTY, "acme.com"), T0).demoIntent()).isEqualTo("NONE");
    }
}
