package io.leadscore.server.storage;

import com.google.protobuf.Timestamp;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

import static io.leadscore.server.StatusCodes.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A MongoDB that goes away and comes back, with {@code --mongo-uri}: a standalone MongoDB-wire server on a fixed
 * port, stopped and started again on the same data. While it is down, calls that need it fail with UNAVAILABLE
 * well within their deadline, health is NOT_SERVING and scores already computed are still served; once it is back,
 * the server recovers by itself: health SERVING, writes accepted, the projection catches up.
 */
class StoreOutageTest {

    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /** How long recovery may take: the driver's heartbeat plus the projection's retry back-off. */
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withSystemClock().startedByTheTest();
    private Mongo mongo;

    @AfterEach
    void stopTheServerBeforeItsStore() {
        leadscore.stop();
        if (mongo != null) {
            mongo.stop();
        }
    }

    @Test
    void callsFailFastWhileTheStoreIsDownAndTheServiceRecoversWhenItReturns() throws Exception {
        int port = io.leadscore.server.FreePorts.outsideEphemeralRange();
        mongo = Mongo.start(leadscore.directory().resolve("mongo.mv.db"), port);
        leadscore.start(config -> config.withMongoUri("mongodb://127.0.0.1:" + port + "/outage"));
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(leadscore.channel());
        LeadServiceGrpc.LeadServiceBlockingStub leads = leadscore.leads();
        ScoreServiceGrpc.ScoreServiceBlockingStub scores = leadscore.scores();
        awaitTrue("SERVING at start", () -> status(health) == ServingStatus.SERVING);
        leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("kept").setEmail("kept@acme.example").build());
        // Versions, not scores: GetScore decays engagement to the moment it answers.
        long versionBefore = engage(leads, "before").getVersion();
        awaitTrue("the projection serves the engagement", () -> servedVersion(scores) == versionBefore);

        mongo.stop();
        awaitTrue("NOT_SERVING once the store is gone", () -> status(health) == ServingStatus.NOT_SERVING);
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            Status.Code code = codeOf(() -> engage(leads.withDeadline(Deadline.after(DEADLINE.toMillis(),
                                                                                    TimeUnit.MILLISECONDS)),
                                                 "during-" + System.nanoTime()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(code).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(took).isLessThan(DEADLINE);
        }
        // The last scores computed are still served from memory.
        assertThat(servedVersion(scores)).isEqualTo(versionBefore);

        mongo = Mongo.start(leadscore.directory().resolve("mongo.mv.db"), port);
        awaitTrue("SERVING again once the store is back", () -> status(health) == ServingStatus.SERVING);
        long versionAfter = engage(leads, "after").getVersion();
        assertThat(versionAfter).isGreaterThan(versionBefore);
        awaitTrue("the projection catches up after the outage", () -> servedVersion(scores) == versionAfter);
    }

    private static io.leadscore.v1.LeadScore engage(LeadServiceGrpc.LeadServiceBlockingStub leads, String eventId) {
        Instant now = Instant.now();
        return leads.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                Engagement.newBuilder().setLeadId("kept").setEventId(eventId).setType("page_view")
                          .putAttributes("page_category", "pricing")
                          .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond() - 1))).build())
                    .getScore();
    }

    private static long servedVersion(ScoreServiceGrpc.ScoreServiceBlockingStub scores) {
        return scores.getScore(GetScoreRequest.newBuilder().setLeadId("kept").build()).getScore().getVersion();
    }

    private static ServingStatus status(HealthGrpc.HealthBlockingStub health) {
        return health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
    }

    /** Waits for {@code condition}; a call in it that fails (the store still down) means "not yet". */
    private static void awaitTrue(String what, Callable<Boolean> condition) {
        await(what).atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
                   .ignoreException(StatusRuntimeException.class).until(condition);
    }


    /** A standalone MongoDB-wire server on an H2 file: stopping it closes the file, starting it reopens it. */
    private record Mongo(MVStore store, MongoServer server) {

        static Mongo start(Path file, int port) {
            MVStore store = new MVStore.Builder().fileName(file.toString()).open();
            MongoServer server = new MongoServer(new H2Backend(store));
            server.bind("127.0.0.1", port);
            return new Mongo(store, server);
        }

        void stop() {
            server.shutdownNow();
            if (!store.isClosed()) {
                store.close();
            }
        }
    }
}
