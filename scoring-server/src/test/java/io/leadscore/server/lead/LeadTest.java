package io.leadscore.server.lead;

import io.leadscore.server.lead.api.ImportOutcomeCommand;
import io.leadscore.server.lead.api.ImportedOutcome;
import io.leadscore.server.lead.api.OutcomeImported;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.LeadInformationQualified;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.ProfileUpdated;
import io.leadscore.server.lead.api.RecordEngagementCommand;
import io.leadscore.server.lead.api.RegisterLeadCommand;
import io.leadscore.server.lead.api.UpdateProfileCommand;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.privacy.PersonalDataReader;
import io.leadscore.server.lead.api.EngagementsOutcome;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.Seniority;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class LeadTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final LeadRegistered REGISTERED =
            new LeadRegistered("lead-1", "ana@acme.com", "acme.com", "Acme", "paid_search", "q1", T0);
    private static final FitProfile VP = new FitProfile("VP Marketing", Seniority.VP, "marketing", 200, "software",
                                                        0, "DE", List.of(), List.of());

    private FixtureConfiguration<Lead> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Lead.class);
        // A lookup index the aggregate builds on first use, so it differs from a freshly sourced aggregate by design.
        fixture.registerIgnoredField(LeadState.class, "engagementIds");
        fixture.registerInjectableResource(BuiltInModels.defaultModel());
        // The fixture keeps events in memory, unsealed: personal values read as they were given.
        fixture.registerInjectableResource((PersonalDataReader) value -> value);
    }

    private static EngagementFact engagement(String id, String type, Map<String, String> attributes) {
        return new EngagementFact(id, type, T0.plusSeconds(60), "s1", "web", attributes);
    }

    @Test
    void registersANewLead() {
        fixture.givenNoPriorActivity()
               .when(new RegisterLeadCommand("lead-1", "ana@acme.com", "acme.com", "Acme", "paid_search", "q1", T0))
               .expectEvents(REGISTERED)
               .expectResultMessagePayloadMatching(outcome("applied", o -> o.effect() == CommandOutcome.Effect.APPLIED));
    }

    @Test
    void registeringAgainWithTheSameDetailsChangesNothing() {
        fixture.given(REGISTERED)
               .when(new RegisterLeadCommand("lead-1", "ana@acme.com", "acme.com", "Acme", "paid_search", "q1",
                                             T0.plusSeconds(5)))
               .expectNoEvents()
               .expectResultMessagePayloadMatching(outcome("duplicate", o -> o.effect() == CommandOutcome.Effect.DUPLICATE));
    }

    @Test
    void registeringAgainWithOtherDetailsIsRefused() {
        fixture.given(REGISTERED)
               .when(new RegisterLeadCommand("lead-1", "bo@acme.com", "acme.com", "Acme", "paid_search", "q1", T0))
               .expectNoEvents()
               .expectException(LeadscoreException.class)
               .expectExceptionMessage("lead is already registered with different details");
    }

    @Test
    void recordsAnEngagement() {
        EngagementFact pricing = engagement("e1", "page_view", Map.of("page_category", "pricing"));
        fixture.given(REGISTERED)
               .when(new RecordEngagementCommand("lead-1", pricing))
               .expectEvents(new EngagementRecorded("lead-1", pricing))
               .expectResultMessagePayloadMatching(outcome("version 1", o -> o.lead().version() == 1L));
    }

    @Test
    void aRepeatedEventIdIsADuplicateAndStoresNothing() {
        EngagementFact pricing = engagement("e1", "page_view", Map.of("page_category", "pricing"));
        fixture.given(REGISTERED, new EngagementRecorded("lead-1", pricing))
               .when(new RecordEngagementCommand("lead-1", pricing))
               .expectNoEvents()
               .expectResultMessagePayloadMatching(outcome("duplicate", o -> o.effect() == CommandOutcome.Effect.DUPLICATE));
    }

    @Test
    void crossingTheThresholdMakesTheLeadAnMqlOnce() {
        EngagementFact demo = engagement("e2", "demo_requested", Map.of());
        EngagementFact pricing = engagement("e1", "page_view", Map.of("page_category", "pricing"));
        fixture.given(REGISTERED, new ProfileUpdated("lead-1", VP, T0),
                      new LeadInformationQualified("lead-1", 25, "default@1", T0),
                      new EngagementRecorded("lead-1", pricing))
               .when(new RecordEngagementCommand("lead-1", demo))
               .expectEvents(new EngagementRecorded("lead-1", demo),
                             new LeadQualified("lead-1", 65, "default@1", T0.plusSeconds(60)));

        EngagementFact more = engagement("e3", "form_submitted", Map.of());
        fixture.given(REGISTERED, new ProfileUpdated("lead-1", VP, T0),
                      new LeadInformationQualified("lead-1", 25, "default@1", T0),
                      new EngagementRecorded("lead-1", pricing), new EngagementRecorded("lead-1", demo),
                      new LeadQualified("lead-1", 65, "default@1", T0.plusSeconds(60)))
               .when(new RecordEngagementCommand("lead-1", more))
               .expectEvents(new EngagementRecorded("lead-1", more));
    }

    @Test
    void aProfileWithRoleAndCompanySizeRescoresFitAndMakesAnIql() {
        fixture.given(REGISTERED)
               .when(new UpdateProfileCommand("lead-1", VP, T0.plusSeconds(1)))
               .expectEvents(new ProfileUpdated("lead-1", VP, T0.plusSeconds(1)),
                             new LeadInformationQualified("lead-1", 25, "default@1", T0.plusSeconds(1)))
               .expectResultMessagePayloadMatching(outcome("fit 25, stage IQL",
                       o -> o.lead().stage() == LeadStage.IQL && o.lead().score().fit() == 25));
    }

    @Test
    void theOutcomeCarriesTheScore() {
        EngagementFact demo = engagement("e2", "demo_requested", Map.of());
        fixture.given(REGISTERED)
               .when(new RecordEngagementCommand("lead-1", demo))
               .expectResultMessagePayloadMatching(outcome("engagement 30, fit 0, version 1",
                       o -> o.lead().score().engagement() == 30 && o.lead().score().fit() == 0
                            && o.lead().version() == 1));
    }

    private static Matcher<CommandOutcome> outcome(String description, Predicate<CommandOutcome> predicate) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(CommandOutcome outcome) {
                return predicate.test(outcome);
            }

            @Override
            public void describeTo(Description text) {
                text.appendText("an outcome with " + description);
            }
        };
    }

    @Test
    void anImportedOutcomeIsStoredOnceAndSetsTheStage() {
        OutcomeImported won = new OutcomeImported("lead-1", ImportedOutcome.WON, T0.plusSeconds(86_400), 0, "",
                                                  "crm");
        fixture.given(REGISTERED)
               .when(new ImportOutcomeCommand("lead-1", ImportedOutcome.WON, T0.plusSeconds(86_400), 0, "", "crm"))
               .expectEvents(won)
               .expectResultMessagePayloadMatching(outcome("customer", o -> o.lead().stage() == LeadStage.CUSTOMER));
        fixture.given(REGISTERED, won)
               .when(new ImportOutcomeCommand("lead-1", ImportedOutcome.WON, T0.plusSeconds(86_400), 0, "", "crm"))
               .expectNoEvents()
               .expectResultMessagePayloadMatching(outcome("duplicate", o -> o.effect() == CommandOutcome.Effect.DUPLICATE));
    }

    @Test
    void outcomesImportedOutOfOrderLeaveTheLatestStage() {
        LeadState state = new LeadState();
        var model = BuiltInModels.defaultModel();
        state.apply(REGISTERED, 0, model);
        state.apply(new OutcomeImported("lead-1", ImportedOutcome.WON, T0.plusSeconds(900), 0, "", "crm"), 1, model);
        state.apply(new OutcomeImported("lead-1", ImportedOutcome.SQL, T0.plusSeconds(300), 0, "", "crm"), 2, model);

        assertThat(state.stage()).isEqualTo(LeadStage.CUSTOMER);
        assertThat(state.stageHistory()).extracting(LeadState.StageEntry::cause)
                                        .containsExactly("REGISTRATION", "IMPORT", "IMPORT");
    }

    @Test
    void aProfileRepeatedWithItsTimeChangesNothing() {
        ProfileUpdated profile = new ProfileUpdated("lead-1", VP, T0.plusSeconds(30));
        fixture.given(REGISTERED, profile)
               .when(new UpdateProfileCommand("lead-1", VP, T0.plusSeconds(30)))
               .expectNoEvents();
    }

    @Test
    void engagementsSentTogetherStoreWhatOneCommandEachWouldInTheirOrder() {
        EngagementFact pricing = engagement("e1", "page_view", Map.of("page_category", "pricing"));
        EngagementFact demo = engagement("e2", "demo_requested", Map.of());
        EngagementFact again = engagement("e1", "page_view", Map.of("page_category", "pricing"));

        fixture.given(REGISTERED, new ProfileUpdated("lead-1", VP, T0),
                      new io.leadscore.server.lead.api.LeadInformationQualified("lead-1", 25, "default@1", T0))
               .when(new io.leadscore.server.lead.api.RecordEngagementsCommand("lead-1",
                                                                              List.of(pricing, demo, again)))
               // the MQL is recorded right after the engagement that earned it, the repeat stores nothing
               .expectEvents(new EngagementRecorded("lead-1", pricing), new EngagementRecorded("lead-1", demo),
                             new LeadQualified("lead-1", 65, "default@1", T0.plusSeconds(60)))
               .expectResultMessagePayloadMatching(new TypeSafeMatcher<EngagementsOutcome>() {
                   @Override
                   protected boolean matchesSafely(EngagementsOutcome outcome) {
                       return outcome.effects().equals(List.of(CommandOutcome.Effect.APPLIED,
                                                               CommandOutcome.Effect.APPLIED,
                                                               CommandOutcome.Effect.DUPLICATE))
                              && outcome.becameMql() && outcome.lead().stage() == LeadStage.MQL;
                   }

                   @Override
                   public void describeTo(Description text) {
                       text.appendText("applied, applied, duplicate, and an MQL");
                   }
               });
    }
}
