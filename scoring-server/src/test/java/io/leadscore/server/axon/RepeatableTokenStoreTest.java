package io.leadscore.server.axon;

import io.leadscore.server.storage.EmbeddedMongoExtension;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.AbstractTokenEntry;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A projection reset twice with no event in between stores, the second time, the very token the segment holds; in
 * the millisecond of its claim that changes nothing in the document, and the Mongo token store took that for a
 * failed claim (the publish that triggered the reset answered INTERNAL).
 */
class RepeatableTokenStoreTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private static final String PROCESSOR = "lead-scores";
    private static final TrackingToken HEAD = new GlobalSequenceTrackingToken(41);

    private final Clock systemClock = AbstractTokenEntry.clock;
    private MongoTokenStore mongo;

    @BeforeEach
    void freshTokens() {
        MONGO.connection().database().getCollection("trackingtokens").drop();
        mongo = tokenStore("node-a");
        mongo.initializeTokenSegments(PROCESSOR, 1, HEAD);
    }

    @AfterEach
    void restoreClock() {
        AbstractTokenEntry.clock = systemClock;
    }

    @Test
    void theMongoStoreRefusesToStoreTheTokenItHoldsInTheMillisecondOfItsClaim() {
        // Given a segment holding a replay token, claimed by this node
        TrackingToken replay = ReplayToken.createReplayToken(HEAD, HEAD);
        mongo.fetchToken(PROCESSOR, 0);
        mongo.storeToken(replay, PROCESSOR, 0);

        // When it is claimed again and the same token stored in the same millisecond
        mongo.fetchToken(PROCESSOR, 0);
        freezeTokenClockAtTheClaim();

        // Then the bare store says it cannot claim it
        assertThatThrownBy(() -> mongo.storeToken(replay, PROCESSOR, 0))
                .isInstanceOf(UnableToClaimTokenException.class);
    }

    @Test
    void storingTheTokenASegmentAlreadyHoldsSucceeds() {
        // Given the same segment and token, through the repeatable store
        TokenStore tokens = new RepeatableTokenStore(mongo);
        TrackingToken replay = ReplayToken.createReplayToken(HEAD, HEAD);
        tokens.fetchToken(PROCESSOR, 0);
        tokens.storeToken(replay, PROCESSOR, 0);

        // When the same token is stored again in the millisecond of its claim
        tokens.fetchToken(PROCESSOR, 0);
        freezeTokenClockAtTheClaim();
        tokens.storeToken(replay, PROCESSOR, 0);

        // Then the segment holds it, claimed by this node
        assertThat(tokens.fetchToken(PROCESSOR, 0)).isEqualTo(replay);
        assertThat(storedDocument().getString("owner")).isEqualTo("node-a");
    }

    @Test
    void anotherTokenOrAnotherOwnerStillFails() {
        // Given a segment that holds the head token, claimed by another node
        TokenStore tokens = new RepeatableTokenStore(mongo);
        tokens.fetchToken(PROCESSOR, 0);
        TokenStore other = new RepeatableTokenStore(tokenStore("node-b"));

        // When the other node stores a token, then the claim it does not hold still fails
        assertThatThrownBy(() -> other.storeToken(HEAD, PROCESSOR, 0))
                .isInstanceOf(UnableToClaimTokenException.class);
    }

    private void freezeTokenClockAtTheClaim() {
        long claimedAt = storedDocument().getLong("timestamp");
        AbstractTokenEntry.clock = Clock.fixed(Instant.ofEpochMilli(claimedAt), ZoneOffset.UTC);
    }

    private static Document storedDocument() {
        return MONGO.connection().database().getCollection("trackingtokens")
                    .find(new Document("processorName", PROCESSOR)).first();
    }

    private static MongoTokenStore tokenStore(String node) {
        return MongoTokenStore.builder()
                              .mongoTemplate(DefaultMongoTemplate.builder()
                                                                 .mongoDatabase(MONGO.connection().database())
                                                                 .build())
                              .serializer(JacksonSerializer.defaultSerializer())
                              .nodeId(node)
                              .build();
    }
}
