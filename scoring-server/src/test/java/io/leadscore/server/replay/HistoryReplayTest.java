package io.leadscore.server.replay;

import io.leadscore.server.storage.EventStorage;
import io.leadscore.server.storage.HistorySource;
import io.leadscore.server.axon.Serializers;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.ImportedOutcome;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.OutcomeImported;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import io.leadscore.server.storage.MongoConnection;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay reads the embedded store directly, and MongoDB through a cursor: both, on the same stored history
 * (the cursor path through a second, plain connection to the embedded server), fold the same leads the same way,
 * even when a lead's events are stored out of sequence order.
 */
class HistoryReplayTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final ReplayWindow ALL = new ReplayWindow(Instant.parse("2000-01-01T00:00:00Z"),
                                                             Instant.parse("2100-01-01T00:00:00Z"));
    private static MongoIndexedEventStorageEngine engine;

    @BeforeAll
    static void storeHistory() {
        engine = EventStorage.on(MONGO.connection(), Serializers.jackson(PersonalDataVault.on(MONGO.connection(), 100)));
        engine.ensureIndexes();
        append("a", 0, new LeadRegistered("a", "", "", "", "paid_search", "", T0));
        // b's engagement is stored before its registration: the replay must put it back in sequence order.
        append("b", 1, engagement("b", "pricing", T0.plusSeconds(60)));
        append("b", 0, new LeadRegistered("b", "", "", "", "email", "", T0));
        append("a", 1, engagement("a", "pricing", T0.plusSeconds(120)));
        append("a", 2, new OutcomeImported("a", ImportedOutcome.WON, T0.plusSeconds(86_400), 0, "", "crm"));
        append("old", 0, new LeadRegistered("old", "", "", "", "email", "", Instant.parse("1999-01-01T00:00:00Z")));
    }

    @Test
    void theDirectReadAndTheCursorFoldTheSameHistory() {
        HistoryReplay.Result direct = new HistoryReplay(HistorySource.of(engine, MONGO.connection()))
                .replay(List.of(BuiltInModels.defaultModel()), ALL, LeadState.Stages.DERIVED, (read, total, leads) -> { });
        HistoryReplay.Result cursor;
        try (MongoConnection plain = MongoConnection.external(MONGO.connection().connectionString())) {
            cursor = new HistoryReplay(HistorySource.of(engine, plain))
                    .replay(List.of(BuiltInModels.defaultModel()), ALL, LeadState.Stages.DERIVED, (read, total, leads) -> { });
        }

        for (HistoryReplay.Result result : List.of(direct, cursor)) {
            assertThat(result.eventsRead()).isEqualTo(6);
            assertThat(result.leads()).extracting(ReplayedLead::leadId).containsExactly("a", "b");
            ReplayedLead b = result.leads().get(1);
            assertThat(b.state(0).snapshot().score().engagement()).isPositive();
            assertThat(b.state(0).version()).isEqualTo(1);
            assertThat(result.leads().get(0).wonAt()).isEqualTo(T0.plusSeconds(86_400));
        }
        assertThat(cursor.leads().get(1).state(0).snapshot())
                .isEqualTo(direct.leads().get(1).state(0).snapshot());
    }

    private static void append(String leadId, long sequence, Object payload) {
        engine.appendEvents(List.of(new GenericDomainEventMessage<>("Lead", leadId, sequence, payload)));
    }

    private static EngagementRecorded engagement(String leadId, String category, Instant at) {
        return new EngagementRecorded(leadId, new EngagementFact(leadId + "-" + at.getEpochSecond(), "page_view", at,
                                                                 "", "web", Map.of("page_category", category)));
    }
}
