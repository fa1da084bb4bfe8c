package io.leadscore.server.lead;

import io.leadscore.server.lead.api.ApplyModelChangeCommand;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.LeadInformationQualified;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.LeadRestaged;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.LeadTransitioned;
import io.leadscore.server.lead.api.ProfileUpdated;
import io.leadscore.server.lead.api.RecordEngagementCommand;
import io.leadscore.server.lead.api.SalesTransition;
import io.leadscore.server.lead.api.SlaBreached;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.model.ModelParser;
import io.leadscore.server.model.RuleBasedModel;
import io.leadscore.server.privacy.PersonalDataReader;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.server.scoring.Seniority;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.hamcrest.Matchers.equalTo;

/** The lead's stages are recorded decisions: recycling, cool-downs and model changes, at the aggregate. */
class LeadLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant REJECTED_AT = T0.plus(Duration.ofDays(1));
    private static final FitProfile VP = new FitProfile("VP Marketing", Seniority.VP, "marketing", 200, "software",
                                                        0, "DE", List.of(), List.of());
    private static final RuleBasedModel DEFAULT = BuiltInModels.defaultModel();
    private static final RuleBasedModel COOL_DOWN_7_DAYS = model(BuiltInModels.defaultDocument().replace(
            "on_model_change: keep", "on_model_change: keep\n  recycle_cool_down_days: 7"));
    private static final RuleBasedModel STRICT_REQUALIFYING = model(BuiltInModels.defaultDocument()
            .replace("version: 1", "version: 2")
            .replace("      - {fit_grade_at_least: B, engagement_at_least: 40}\n", "")
            .replace("{total_at_least: 60}", "{total_at_least: 500}")
            .replace("on_model_change: keep", "on_model_change: requalify"));

    private static RuleBasedModel model(String document) {
        return new RuleBasedModel(ModelParser.parse(document));
    }

    private static FixtureConfiguration<Lead> fixtureWith(ScoringModel model) {
        FixtureConfiguration<Lead> fixture = new AggregateTestFixture<>(Lead.class);
        fixture.registerIgnoredField(LeadState.class, "engagementIds");
        fixture.registerInjectableResource(model);
        fixture.registerInjectableResource((PersonalDataReader) value -> value);
        return fixture;
    }

    private static EngagementFact engagement(String id, String type, Instant at) {
        return new EngagementFact(id, type, at, "s1", "web", Map.of());
    }

    /** A VP who requested a demo and saw pricing, qualified under the default model, then rejected by sales. */
    private static final List<io.leadscore.server.lead.api.LeadEvent> REJECTED_MQL = List.of(
            new LeadRegistered("lead-1", "ana@acme.com", "acme.com", "Acme", "paid_search", "q1", T0),
            new ProfileUpdated("lead-1", VP, T0),
            new LeadInformationQualified("lead-1", 25, "default@1", T0),
            new EngagementRecorded("lead-1", new EngagementFact("p1", "page_view", T0.plusSeconds(60), "s1", "web",
                                                                Map.of("page_category", "pricing"))),
            new EngagementRecorded("lead-1", engagement("d1", "demo_requested", T0.plusSeconds(60))),
            new LeadQualified("lead-1", 65, "default@1", T0.plusSeconds(60)),
            new LeadTransitioned("lead-1", SalesTransition.REJECT, LeadStage.MQL, LeadStage.RECYCLED, "sam",
                                 "bad_timing", "", null, 0, "", false, REJECTED_AT, 65, "default@1"));

    /** A qualification recorded at {@code at} by the default model (its score decays, so only the time is exact). */
    private static Matcher<Object> qualifiedAt(Instant at) {
        return new CustomTypeSafeMatcher<>("LeadQualified at " + at) {
            @Override
            protected boolean matchesSafely(Object event) {
                return event instanceof LeadQualified qualified && qualified.qualifiedAt().equals(at)
                       && qualified.modelVersion().equals("default@1");
            }
        };
    }

    @Test
    void engagementEarnedBeforeTheRejectionDoesNotRequalify() {
        fixtureWith(DEFAULT).given(REJECTED_MQL)
               .when(new RecordEngagementCommand("lead-1", engagement("b1", "blog_view", REJECTED_AT.plusSeconds(60))))
               .expectEvents(new EngagementRecorded("lead-1", engagement("b1", "blog_view", REJECTED_AT.plusSeconds(60))));
    }

    @Test
    void engagementEarnedAfterTheRejectionThatMeetsTheRuleRequalifies() {
        EngagementFact form = engagement("f1", "form_submitted", REJECTED_AT.plusSeconds(60));
        EngagementFact demo = engagement("d2", "demo_requested", REJECTED_AT.plusSeconds(120));
        List<Object> withForm = new java.util.ArrayList<>(REJECTED_MQL);
        withForm.add(new EngagementRecorded("lead-1", form));

        fixtureWith(DEFAULT).given(withForm)
               .when(new RecordEngagementCommand("lead-1", demo))
               .expectEventsMatching(payloadsMatching(exactSequenceOf(
                       equalTo(new EngagementRecorded("lead-1", demo)), qualifiedAt(demo.occurredAt()), andNoMore())));
    }

    @Test
    void underACoolDownTheLeadRequalifiesOnEverythingOnceTheCoolDownHasPassed() {
        EngagementFact early = engagement("b1", "blog_view", REJECTED_AT.plus(Duration.ofDays(6)));
        EngagementFact late = engagement("b2", "blog_view", REJECTED_AT.plus(Duration.ofDays(8)));

        fixtureWith(COOL_DOWN_7_DAYS).given(REJECTED_MQL)
               .when(new RecordEngagementCommand("lead-1", early))
               .expectEvents(new EngagementRecorded("lead-1", early));
        fixtureWith(COOL_DOWN_7_DAYS).given(REJECTED_MQL)
               .when(new RecordEngagementCommand("lead-1", late))
               .expectEventsMatching(payloadsMatching(exactSequenceOf(
                       equalTo(new EngagementRecorded("lead-1", late)), qualifiedAt(late.occurredAt()), andNoMore())));
    }

    @Test
    void duringTheCoolDownEngagementEarnedAfterTheRejectionStillRequalifies() {
        EngagementFact form = engagement("f1", "form_submitted", REJECTED_AT.plus(Duration.ofDays(2)));
        EngagementFact demo = engagement("d2", "demo_requested", REJECTED_AT.plus(Duration.ofDays(2)).plusSeconds(60));
        List<Object> withForm = new java.util.ArrayList<>(REJECTED_MQL);
        withForm.add(new EngagementRecorded("lead-1", form));

        fixtureWith(COOL_DOWN_7_DAYS).given(withForm)
               .when(new RecordEngagementCommand("lead-1", demo))
               .expectEventsMatching(payloadsMatching(exactSequenceOf(
                       equalTo(new EngagementRecorded("lead-1", demo)), qualifiedAt(demo.occurredAt()), andNoMore())));
    }

    @Test
    void anOutcomeImportedOutOfOrderLeavesTheCurrentStageAsOfNow() {
        LeadState state = new LeadState();
        long sequence = 0;
        for (io.leadscore.server.lead.api.LeadEvent event : REJECTED_MQL.subList(0, REJECTED_MQL.size() - 1)) {
            state.apply(event, sequence++, DEFAULT);
        }
        // an SQL from a CRM export, dated before the lead became an MQL here
        state.apply(new io.leadscore.server.lead.api.OutcomeImported("lead-1",
                io.leadscore.server.lead.api.ImportedOutcome.SQL, T0.plusSeconds(30), 0, "", "crm"), sequence, DEFAULT);

        assertThat(state.stage()).isEqualTo(LeadStage.MQL);
        assertThat(state.stageAsOf(T0.plus(Duration.ofDays(2)))).isEqualTo(LeadStage.MQL);
    }

    @Test
    void aRequalifyingModelReturnsAnUnansweredMqlItDoesNotQualifyToNurtureAtPublishTime() {
        List<Object> mql = List.copyOf(REJECTED_MQL.subList(0, REJECTED_MQL.size() - 1));
        Instant publishedAt = T0.plus(Duration.ofDays(3));

        fixtureWith(STRICT_REQUALIFYING).given(mql)
               .when(new ApplyModelChangeCommand("lead-1", "default@1", publishedAt))
               .expectEvents(new LeadRestaged("lead-1", LeadStage.MQL, LeadStage.IQL, "default@1", "default@2", 65,
                                              publishedAt));
        fixtureWith(DEFAULT).given(mql)
               .when(new ApplyModelChangeCommand("lead-1", "default@2", publishedAt))
               .expectNoEvents();
    }

    @Test
    void anSlaBreachBelongsToItsMqlCycleAndLeavesWithIt() {
        LeadState state = new LeadState();
        long sequence = 0;
        for (io.leadscore.server.lead.api.LeadEvent event : REJECTED_MQL.subList(0, REJECTED_MQL.size() - 1)) {
            state.apply(event, sequence++, DEFAULT);
        }
        Instant mqlAt = T0.plusSeconds(60);
        state.apply(new SlaBreached("lead-1", mqlAt, mqlAt.plus(Duration.ofHours(24)), mqlAt.plus(Duration.ofHours(25)),
                                    65, "default@1"), sequence++, DEFAULT);
        assertThat(state.slaBreachedAt()).isEqualTo(mqlAt.plus(Duration.ofHours(25)));

        state.apply(new LeadRestaged("lead-1", LeadStage.MQL, LeadStage.IQL, "default@1", "default@2", 65,
                                     T0.plus(Duration.ofDays(3))), sequence++, DEFAULT);
        // a breach of the cycle that ended, arriving late, marks nothing
        state.apply(new SlaBreached("lead-1", mqlAt, mqlAt.plus(Duration.ofHours(24)), T0.plus(Duration.ofDays(4)),
                                    65, "default@1"), sequence, DEFAULT);

        assertThat(state.stage()).isEqualTo(LeadStage.IQL);
        assertThat(state.slaBreachedAt()).isNull();
        assertThat(state.stageHistory()).extracting(LeadState.StageEntry::cause)
                                        .containsExactly("REGISTRATION", "MODEL", "MODEL", "MODEL_CHANGE");
    }
}
