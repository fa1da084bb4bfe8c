package io.leadscore.server.model.catalog;

import io.leadscore.server.axon.Serializers;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotGuardTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();

    private MongoIndexedEventStorageEngine engine;
    private SnapshotGuard guard;

    @BeforeEach
    void setUp() {
        MONGO.connection().database().drop();
        engine = MongoIndexedEventStorageEngine.builder().database(MONGO.connection().database()).singleWriter(true)
                .eventSerializer(Serializers.jackson(PersonalDataVault.on(MONGO.connection(), 100))).snapshotSerializer(Serializers.jackson(PersonalDataVault.on(MONGO.connection(), 100))).build();
        guard = new SnapshotGuard(MONGO.connection().database(), engine);
    }

    private void snapshot() {
        engine.storeSnapshot(new GenericDomainEventMessage<>("Lead", "lead-1", 5, "state"));
    }

    @Test
    void snapshotsTakenUnderTheActiveModelAreKept() {
        guard.ensureFoldedUnder("default@1");
        snapshot();

        guard.ensureFoldedUnder("default@1");

        assertThat(engine.readSnapshot("lead-1")).isPresent();
    }

    @Test
    void snapshotsOfAnotherModelAreDropped() {
        guard.ensureFoldedUnder("default@1");
        snapshot();

        guard.ensureFoldedUnder("default@2");

        assertThat(engine.readSnapshot("lead-1")).isEmpty();
    }

    @Test
    void snapshotsOfUnknownOriginAreDropped() {
        snapshot();

        guard.ensureFoldedUnder("default@1");

        assertThat(engine.readSnapshot("lead-1")).isEmpty();
    }

    @Test
    void snapshotsOfAnEarlierFoldAreDroppedUnderTheSameModel() {
        // as an earlier version left them: the model named, no fold format
        MONGO.connection().database().getCollection("snapshot_model").insertOne(
                new org.bson.Document("_id", "lead-snapshots").append("model", "default@1"));
        snapshot();

        guard.ensureFoldedUnder("default@1");

        assertThat(engine.readSnapshot("lead-1")).isEmpty();
    }

    @Test
    void scoreRowsAreCurrentOnlyOnceRebuiltByThisFold() {
        io.leadscore.server.readside.ScoreRowFormat rows =
                new io.leadscore.server.readside.ScoreRowFormat(MONGO.connection().database());
        assertThat(rows.current()).isFalse();

        rows.rebuilt();

        assertThat(rows.current()).isTrue();
    }
}
