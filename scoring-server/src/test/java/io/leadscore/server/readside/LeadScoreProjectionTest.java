package io.leadscore.server.readside;

import io.leadscore.server.axon.Serializers;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.LeadInformationQualified;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.ProfileUpdated;
import io.leadscore.server.lead.api.SlaBreached;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.Seniority;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import io.leadscore.server.storage.MongoConnection;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.ReplayStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The score projection, its handlers called directly, on the embedded store. */
class LeadScoreProjectionTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final LeadRegistered REGISTERED =
            new LeadRegistered("lead-1", "ana@acme.com", "acme.com", "Acme", "paid_search", "", T0);
    private static final EngagementFact PRICING =
            new EngagementFact("e1", "page_view", T0.plusSeconds(10), "", "", Map.of("page_category", "pricing"));
    private static final EngagementFact DEMO =
            new EngagementFact("e2", "demo_requested", T0.plusSeconds(20), "", "", Map.of());
    private static final FitProfile VP =
            new FitProfile("VP Sales", Seniority.VP, "sales", 500, "", 0, "", List.of(), List.of());

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private MongoConnection connection;
    private MongoIndexedEventStorageEngine engine;
    private LeadScoreStore store;
    private LeadScoreProjection projection;

    @BeforeEach
    void setUp() {
        connection = MONGO.connection();
        connection.database().drop();
        engine = MongoIndexedEventStorageEngine.builder().database(connection.database()).singleWriter(true)
                .eventSerializer(Serializers.jackson(PersonalDataVault.on(connection, 100))).snapshotSerializer(Serializers.jackson(PersonalDataVault.on(connection, 100))).build();
        store = new LeadScoreStore(connection.database());
        projection = new LeadScoreProjection(store, BuiltInModels.defaultModel(), engine, 100);
    }

    private LeadSnapshot row() {
        return store.find("lead-1").orElseThrow();
    }

    @Test
    void registrationCreatesARowAtStageLead() {
        projection.on(REGISTERED, 0, ReplayStatus.REGULAR, null);

        assertThat(row().stage()).isEqualTo(LeadStage.LEAD);
        assertThat(row().score().total()).isZero();
        assertThat(row().channel()).isEqualTo("paid_search");
    }

    @Test
    void profileUpdateScoresFit() {
        projection.on(REGISTERED, 0, ReplayStatus.REGULAR, null);
        projection.on(new ProfileUpdated("lead-1", VP, T0), 1, ReplayStatus.REGULAR, null);

        assertThat(row().score().fit()).isEqualTo(25);
        assertThat(row().version()).isEqualTo(1);
    }

    @Test
    void engagementScoresEngagement() {
        projection.on(REGISTERED, 0, ReplayStatus.REGULAR, null);
        projection.on(new EngagementRecorded("lead-1", PRICING), 1, ReplayStatus.REGULAR, null);

        assertThat(row().score().engagement()).isEqualTo(10);
        assertThat(row().lastChangedAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void theRowEntersTheStagesTheLeadRecordedAndMeetingTheRuleAloneMovesNothing() {
        projection.on(REGISTERED, 0, ReplayStatus.REGULAR, null);
        projection.on(new ProfileUpdated("lead-1", VP, T0), 1, ReplayStatus.REGULAR, null);
        projection.on(new LeadInformationQualified("lead-1", 25, "default@1", T0), 2, ReplayStatus.REGULAR, null);
        projection.on(new EngagementRecorded("lead-1", PRICING), 3, ReplayStatus.REGULAR, null);
        assertThat(row().stage()).isEqualTo(LeadStage.IQL);
        projection.on(new EngagementRecorded("lead-1", DEMO), 4, ReplayStatus.REGULAR, null);
        // the rule holds, but a stage is what the lead recorded: the aggregate records it next
        assertThat(row().score().qualifies()).isTrue();
        assertThat(row().stage()).isEqualTo(LeadStage.IQL);
        LeadSnapshot scored = row();

        projection.on(new LeadQualified("lead-1", 65, "default@1", T0.plusSeconds(20)), 5, ReplayStatus.REGULAR, null);

        assertThat(row().score()).isEqualTo(scored.score());
        assertThat(row().stage()).isEqualTo(LeadStage.MQL);
        assertThat(row().mqlAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void replayedEventsAreSkipped() {
        projection.on(REGISTERED, 0, ReplayStatus.REGULAR, null);
        projection.on(new EngagementRecorded("lead-1", PRICING), 1, ReplayStatus.REGULAR, null);
        LeadSnapshot once = row();

        projection.on(new EngagementRecorded("lead-1", PRICING), 1, ReplayStatus.REGULAR, null);

        assertThat(row()).isEqualTo(once);
    }

    @Test
    void aColdProjectionRebuildsTheLeadFromItsStoredEvents() {
        engine.appendEvents(domainEvent(0, REGISTERED), domainEvent(1, new EngagementRecorded("lead-1", PRICING)),
                            domainEvent(2, new EngagementRecorded("lead-1", DEMO)));
        LeadScoreProjection cold = new LeadScoreProjection(store, BuiltInModels.defaultModel(), engine, 100);

        cold.on(new EngagementRecorded("lead-1", DEMO), 2, ReplayStatus.REGULAR, null);

        // the pricing visit, 10 s older than the demo request, has decayed a hair (90-day half-life)
        assertThat(row().score().engagement()).isEqualTo(10 * Math.pow(0.5, 10 / 86_400.0 / 90) + 30);
        assertThat(row().version()).isEqualTo(2);
    }

    @Test
    void aHistoryQueryAheadOfTheProcessorSharesTheFoldAndTheRowFollowsItWithoutFoldingTwice() {
        LeadFolds folds = new LeadFolds(100);
        LeadScoreProjection shared = new LeadScoreProjection(store, BuiltInModels.defaultModel(), engine, folds,
                                                             leadId -> { }, token -> { });
        LeadHistory history = new LeadHistory(engine, BuiltInModels.defaultModel(), folds);
        engine.appendEvents(domainEvent(0, REGISTERED), domainEvent(1, new EngagementRecorded("lead-1", PRICING)),
                            domainEvent(2, new EngagementRecorded("lead-1", DEMO)));
        shared.on(REGISTERED, 0, ReplayStatus.REGULAR, null);

        // given a query that reads every stored event, ahead of the processor at version 0
        LeadSnapshot latest = history.score("lead-1", null).lead();
        assertThat(latest.version()).isEqualTo(2);

        // when the processor catches up with the two engagements the shared fold already holds
        shared.on(new EngagementRecorded("lead-1", PRICING), 1, ReplayStatus.REGULAR, null);
        LeadSnapshot afterFirst = row();
        shared.on(new EngagementRecorded("lead-1", DEMO), 2, ReplayStatus.REGULAR, null);

        // then the row followed the fold at once, each engagement counted once, as a fold of its own would
        assertThat(afterFirst.version()).isEqualTo(2);
        LeadState alone = new LeadState();
        alone.apply(REGISTERED, 0, BuiltInModels.defaultModel());
        alone.apply(new EngagementRecorded("lead-1", PRICING), 1, BuiltInModels.defaultModel());
        alone.apply(new EngagementRecorded("lead-1", DEMO), 2, BuiltInModels.defaultModel());
        assertThat(row()).isEqualTo(alone.snapshot());
        assertThat(history.score("lead-1", null, 2).lead().score()).isEqualTo(alone.snapshot().score());
    }

    @Test
    void aColdProjectionTakesAnSlaBreachOnTheStoredRowWithoutReadingTheLeadsHistory() {
        projection.on(REGISTERED, 0, ReplayStatus.REGULAR, null);
        projection.on(new ProfileUpdated("lead-1", VP, T0), 1, ReplayStatus.REGULAR, null);
        projection.on(new EngagementRecorded("lead-1", PRICING), 2, ReplayStatus.REGULAR, null);
        projection.on(new EngagementRecorded("lead-1", DEMO), 3, ReplayStatus.REGULAR, null);
        projection.on(new LeadQualified("lead-1", 65, "default@1", T0.plusSeconds(20)), 4, ReplayStatus.REGULAR, null);
        Instant breachedAt = T0.plusSeconds(86_400);
        SlaBreached breach = new SlaBreached("lead-1", T0.plusSeconds(20), T0.plusSeconds(3_600), breachedAt, 65,
                                             "default@1");
        // A restarted server: the rows are loaded, nothing is folded, and the store holds none of the lead's events,
        // so a fold would come out empty: the row can only be right if it was not refolded.
        LeadScoreProjection restarted = new LeadScoreProjection(store, BuiltInModels.defaultModel(), engine, 100);
        LeadSnapshot before = row();

        restarted.on(breach, 5, ReplayStatus.REGULAR, null);

        assertThat(row()).isEqualTo(before.at(5, breachedAt));
        LeadState fold = new LeadState();
        List<io.leadscore.server.lead.api.LeadEvent> history = List.of(REGISTERED, new ProfileUpdated("lead-1", VP, T0),
                                       new EngagementRecorded("lead-1", PRICING), new EngagementRecorded("lead-1", DEMO),
                                       new LeadQualified("lead-1", 65, "default@1", T0.plusSeconds(20)), breach);
        for (int sequence = 0; sequence < history.size(); sequence++) {
            fold.apply(history.get(sequence), sequence, BuiltInModels.defaultModel());
        }
        assertThat(row()).isEqualTo(fold.snapshot());
        assertThat(row().stage()).isEqualTo(LeadStage.MQL);
    }

    @Test
    void rowsSurviveARestartOfTheStore() {
        projection.on(REGISTERED, 0, ReplayStatus.REGULAR, null);
        projection.on(new EngagementRecorded("lead-1", DEMO), 1, ReplayStatus.REGULAR, null);

        LeadScoreStore reloaded = new LeadScoreStore(connection.database());
        assertThat(reloaded.load(connection)).isEqualTo(1);
        assertThat(reloaded.find("lead-1")).contains(row());
    }

    private static GenericDomainEventMessage<Object> domainEvent(long sequence, Object payload) {
        return new GenericDomainEventMessage<>("Lead", "lead-1", sequence, payload);
    }
}
