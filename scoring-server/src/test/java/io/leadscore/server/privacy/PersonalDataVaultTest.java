package io.leadscore.server.privacy;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.eventstore.DurabilityBarrier;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import io.leadscore.server.storage.MongoConnection;

import java.nio.file.Path;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sealing, revealing and erasing per-lead keys: in the {@code lead_keys} collection (as on MongoDB, here on the
 * embedded server), and in the embedded store's own key file.
 */
class PersonalDataVaultTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();

    private PersonalDataVault vault;

    @BeforeEach
    void setUp() {
        MONGO.connection().database().drop();
        vault = new PersonalDataVault(MONGO.connection().database(), DurabilityBarrier.NONE, Clock.systemUTC(), 10);
    }

    @Test
    void aSealedValueHidesItsTextAndOpensWithItsLeadsKey() {
        String sealed = vault.seal("lead-1", "ana@acme.com");
        assertThat(sealed).startsWith("sealed:v1:").doesNotContain("ana").doesNotContain("acme");
        assertThat(vault.seal("lead-1", "ana@acme.com")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(vault.reveal(sealed)).isEqualTo("ana@acme.com");
        // A vault with a cold cache finds the same key in the store.
        PersonalDataVault restarted = new PersonalDataVault(MONGO.connection().database(), DurabilityBarrier.NONE,
                                                            Clock.systemUTC(), 10);
        assertThat(restarted.reveal(sealed)).isEqualTo("ana@acme.com");
        assertThat(vault.revealWithin("by sam: " + sealed + ".")).isEqualTo("by sam: ana@acme.com.");
    }

    @Test
    void keysCreatedInBulkKeepExistingOnes() {
        String existing = vault.seal("lead-1", "ana@acme.com");
        vault.erase("lead-3");
        vault.createKeys(java.util.List.of("lead-1", "lead-2", "lead-3"));
        assertThat(vault.reveal(existing)).isEqualTo("ana@acme.com");
        assertThat(vault.reveal(vault.seal("lead-2", "bo@globex.com"))).isEqualTo("bo@globex.com");
        assertThatThrownBy(() -> vault.seal("lead-3", "again")).isInstanceOf(LeadscoreException.class);
        PersonalDataVault restarted = new PersonalDataVault(MONGO.connection().database(), DurabilityBarrier.NONE,
                                                            Clock.systemUTC(), 10);
        assertThat(restarted.reveal(existing)).isEqualTo("ana@acme.com");
    }

    @Test
    void nothingToProtectIsLeftAsItIs() {
        assertThat(vault.seal("lead-1", "")).isEmpty();
        assertThat(vault.seal("lead-1", Erased.VALUE)).isEqualTo(Erased.VALUE);
        assertThat(vault.reveal("written before sealing existed")).isEqualTo("written before sealing existed");
    }

    @Test
    void aValueMovedToAnotherLeadOrAlteredDoesNotOpen() {
        vault.seal("lead-2", "anything");
        String sealed = vault.seal("lead-1", "ana@acme.com");
        String owner1 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("lead-1".getBytes());
        String owner2 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("lead-2".getBytes());
        assertThatThrownBy(() -> vault.reveal(sealed.replace(owner1, owner2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not authenticate");
        char last = sealed.charAt(sealed.length() - 2);
        String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
                         + sealed.charAt(sealed.length() - 1);
        assertThatThrownBy(() -> vault.reveal(altered)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void erasureDestroysTheKeyForGoodAndIsIdempotent() {
        String sealed = vault.seal("lead-1", "ana@acme.com");
        String other = vault.seal("lead-2", "bo@globex.com");
        assertThat(vault.erase("lead-1")).isTrue();
        assertThat(vault.erase("lead-1")).as("again: no key left").isFalse();
        assertThat(vault.reveal(sealed)).isEqualTo(Erased.VALUE);
        assertThat(vault.reveal(other)).isEqualTo("bo@globex.com");
        PersonalDataVault restarted = new PersonalDataVault(MONGO.connection().database(), DurabilityBarrier.NONE,
                                                            Clock.systemUTC(), 10);
        assertThat(restarted.reveal(sealed)).isEqualTo(Erased.VALUE);
        assertThatThrownBy(() -> restarted.seal("lead-1", "new@acme.com"))
                .isInstanceOfSatisfying(LeadscoreException.class,
                                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
        assertThat(MONGO.connection().database().getCollection(PersonalDataVault.COLLECTION)
                        .find(new org.bson.Document("_id", "lead-1")).first()).doesNotContainKey("key");
    }

    @Test
    void onTheEmbeddedStoreAnErasedKeyIsInNoFileOnceErasureReturns(@TempDir Path dataDir) {
        String sealed;
        String other;
        try (MongoConnection connection = MongoConnection.embedded(dataDir)) {
            PersonalDataVault vault = PersonalDataVault.on(connection, 10);
            sealed = vault.seal("lead-1", "ana@acme.com");
            other = vault.seal("lead-2", "bo@globex.com");
            byte[] key = vault.currentKey("lead-1").orElseThrow();
            connection.durability().awaitDurable();
            assertThat(ErasureEndToEndTest.filesContaining(dataDir, key)).as("stored before").isNotEmpty();

            assertThat(vault.erase("lead-1")).isTrue();
            // While the store runs, not only after a clean shutdown: the key file was rewritten without it.
            assertThat(ErasureEndToEndTest.filesContaining(dataDir, key)).isEmpty();
            assertThat(vault.erase("lead-1")).as("again: no key left").isFalse();
            assertThat(vault.reveal(other)).isEqualTo("bo@globex.com");
            assertThat(vault.reveal(vault.seal("lead-3", "cy@initech.com"))).isEqualTo("cy@initech.com");
        }
        try (MongoConnection connection = MongoConnection.embedded(dataDir)) {
            PersonalDataVault restarted = PersonalDataVault.on(connection, 10);
            assertThat(restarted.reveal(sealed)).isEqualTo(Erased.VALUE);
            assertThat(restarted.reveal(other)).isEqualTo("bo@globex.com");
            assertThatThrownBy(() -> restarted.seal("lead-1", "new@acme.com")).isInstanceOf(LeadscoreException.class);
        }
    }

    @Test
    void keysThatEarlierVersionsKeptInTheMainStoreMoveToTheKeyFile(@TempDir Path dataDir) {
        String sealed;
        try (MongoConnection connection = MongoConnection.embedded(dataDir)) {
            PersonalDataVault inMainStore = new PersonalDataVault(connection.database(), connection.durability(),
                                                                  Clock.systemUTC(), 10);
            sealed = inMainStore.seal("lead-1", "ana@acme.com");
            inMainStore.erase("lead-2");
        }
        try (MongoConnection connection = MongoConnection.embedded(dataDir)) {
            PersonalDataVault vault = PersonalDataVault.on(connection, 10);
            assertThat(vault.reveal(sealed)).isEqualTo("ana@acme.com");
            assertThatThrownBy(() -> vault.seal("lead-2", "bo@globex.com")).isInstanceOf(LeadscoreException.class);
            assertThat(connection.database().listCollectionNames()).doesNotContain(PersonalDataVault.COLLECTION);
        }
    }
}
