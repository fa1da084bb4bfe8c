package io.leadscore.server.scoring;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultScoringModelTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private final DefaultScoringModel model = new DefaultScoringModel();

    private static EngagementFact engagement(String id, String type, Instant at, Map<String, String> attributes) {
        return new EngagementFact(id, type, at, "", "", attributes);
    }

    private static LeadFacts facts(FitProfile profile, String emailDomain, EngagementFact... engagements) {
        return new LeadFacts(emailDomain, "acme.com", profile, List.of(engagements));
    }

    private static FitProfile profile(String title, Seniority seniority, int employees) {
        return new FitProfile(title, seniority, "", employees, "", 0, "", List.of(), List.of());
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
    void cLevelTitleIsWorthTwentyEvenWithoutSeniority() {
        ScoreCard score = model.score(facts(profile("Chief Marketing Officer", Seniority.UNKNOWN, 0), "acme.com"), T0);

        assertThat(score.fit()).isEqualTo(20);
    }

    @Test
    void personalEmailAndStudentsAreNegativeFit() {
        ScoreCard score = model.score(facts(profile("Marketing Student", Seniority.UNKNOWN, 0), "gmail.com"), T0);

        assertThat(score.fit()).isEqualTo(-30);
    }

    @Test
    void repeatedPassiveTouchesAreCapped() {
        List<EngagementFact> opens = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            opens.add(engagement("o" + i, "email_opened", T0.plusSeconds(i), Map.of()));
        }
        ScoreCard score = model.score(new LeadFacts("acme.com", "acme.com", FitProfile.EMPTY, opens), T0.plusSeconds(60));

        assertThat(score.engagement()).isEqualTo(5);
        assertThat(score.qualifies()).isFalse();
    }

    @Test
    void engagementTotalIsCappedAtOneHundred() {
        ScoreCard score = model.score(facts(FitProfile.EMPTY, "acme.com",
                engagement("d", "demo_requested", T0, Map.of()),
                engagement("t", "trial_started", T0, Map.of()),
                engagement("p1", "page_view", T0, Map.of("page_category", "pricing")),
                engagement("p2", "page_view", T0, Map.of("page_category", "pricing")),
                engagement("p3", "page_view", T0, Map.of("page_category", "pricing")),
                engagement("f1", "form_submitted", T0, Map.of()),
                engagement("f2", "form_submitted", T0, Map.of())), T0);

        assertThat(score.engagement()).isEqualTo(100);
    }

    @Test
    void completedVideoCountsMoreThanAGlance() {
        ScoreCard completed = model.score(facts(FitProfile.EMPTY, "acme.com",
                engagement("v", "video_watched", T0, Map.of("percent_watched", "95"))), T0);
        ScoreCard glance = model.score(facts(FitProfile.EMPTY, "acme.com",
                engagement("v", "video_watched", T0, Map.of("percent_watched", "abc"))), T0);

        assertThat(completed.engagement()).isEqualTo(5);
        assertThat(glance.engagement()).isEqualTo(3);
    }

    @Test
    void engagementsAfterTheAsOfTimeDoNotCount() {
        LeadFacts facts = facts(FitProfile.EMPTY, "acme.com",
                engagement("d", "demo_requested", T0.plusSeconds(3600), Map.of()));

        assertThat(model.score(facts, T0).engagement()).isZero();
        assertThat(model.score(facts, T0.plusSeconds(3600)).engagement()).isEqualTo(30);
    }

    @Test
    void vpAtMidSizeCompanyWithDemoAndPricingIsAnMql() {
        ScoreCard score = model.score(facts(profile("VP Marketing", Seniority.VP, 200), "acme.com",
                engagement("d", "demo_requested", T0, Map.of()),
                engagement("p", "page_view", T0, Map.of("page_category", "pricing"))), T0);

        assertThat(score.total()).isEqualTo(65);
        assertThat(score.qualifies()).isTrue();
        assertThat(score.modelVersion()).isEqualTo("default@1");
    }
}
