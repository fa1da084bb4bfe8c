package io.leadscore.server.replay;

import io.leadscore.server.axon.Serializers;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.LeadEvent;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import io.leadscore.server.storage.EventStorage;
import io.leadscore.server.storage.HistorySource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lead's score does not depend on how its history was read: the parallel replay (rebuilds, backtests) and a fold
 * of the lead's own events one by one give the same score to the last bit, also as of a time far after the facts,
 * for engagements of many types stored out of time order (as concurrent writers store them).
 */
class FoldPathTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FAR = Instant.parse("2030-01-01T00:00:00Z");
    private static final String[] TYPES = {"page_view", "email_opened", "content_download", "webinar_registered",
                                           "form_submitted", "video_watched"};

    @Test
    void theReplaysFoldAndAFoldOfTheLeadsOwnEventsScoreTheSame() {
        MONGO.connection().database().drop();
        MongoIndexedEventStorageEngine engine = EventStorage.on(
                MONGO.connection(), Serializers.jackson(PersonalDataVault.on(MONGO.connection(), 100)));
        engine.ensureIndexes();
        ScoringModel model = BuiltInModels.defaultModel();
        Random random = new Random(42);
        engine.appendEvents(List.of(new GenericDomainEventMessage<>(
                "Lead", "lead-1", 0, new LeadRegistered("lead-1", "", "", "", "crash", "",
                                                        Instant.parse("2026-12-03T10:11:12.418420508Z")))));
        for (int sequence = 1; sequence <= 71; sequence++) {
            long second = random.nextInt(400);
            EngagementFact fact = new EngagementFact("e" + sequence, TYPES[random.nextInt(TYPES.length)],
                                                     T0.plusSeconds(second), "", "",
                                                     Map.of("page_category", second % 5 == 0 ? "pricing" : "blog"));
            engine.appendEvents(List.of(new GenericDomainEventMessage<>("Lead", "lead-1", sequence,
                                                                        new EngagementRecorded("lead-1", fact))));
        }

        ReplayedLead replayed = new HistoryReplay(HistorySource.of(engine, MONGO.connection()))
                .replay(List.of(model), new ReplayWindow(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z")),
                        LeadState.Stages.RECORDED, (read, total, leads) -> { })
                .leads().get(0);
        LeadState oneByOne = new LeadState();
        DomainEventStream stream = engine.readEvents("lead-1", 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            oneByOne.apply((LeadEvent) event.getPayload(), event.getSequenceNumber(), model);
        }

        assertThat(replayed.state(0).version()).isEqualTo(oneByOne.version());
        assertThat(replayed.state(0).scoreAsOf(model, FAR).card())
                .isEqualTo(oneByOne.scoreAsOf(model, FAR).card());
        assertThat(replayed.state(0).snapshot()).isEqualTo(oneByOne.snapshot());
    }
}
