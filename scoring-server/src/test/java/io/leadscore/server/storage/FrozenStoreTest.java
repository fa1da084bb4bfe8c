package io.leadscore.server.storage;

import com.google.protobuf.Timestamp;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RegisterLeadRequest;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static io.leadscore.server.StatusCodes.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A MongoDB that freezes (a process stopped with SIGSTOP, a host that hangs): connections stay open and nobody
 * answers. The server must see it as fast as a store that went away: health NOT_SERVING within two seconds, and
 * writes refused with UNAVAILABLE at once instead of each waiting for its deadline; when the store answers again,
 * the server is SERVING and takes writes. The freeze is a proxy in front of a standalone MongoDB-wire server.
 */
class FrozenStoreTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    /** How soon after the freeze health must say NOT_SERVING. */
    private static final Duration DETECTION = Duration.ofSeconds(2);
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /** A refused write answers at once; this bound only keeps a slow machine from failing the test. */
    private static final Duration FAST = Duration.ofMillis(500);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW).startedByTheTest();
    private MongoServer mongo;
    private FreezableProxy proxy;

    @AfterEach
    void stopTheServerBeforeItsStore() throws Exception {
        if (proxy != null) {
            proxy.thaw();
        }
        leadscore.stop();
        if (proxy != null) {
            proxy.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @Test
    void aFrozenStoreTurnsHealthNotServingWithinTwoSecondsAndWritesFailFastUntilItAnswersAgain() {
        // given a server SERVING on a store behind the proxy
        mongo = new MongoServer(new H2Backend(new MVStore.Builder().open()));
        mongo.bind("127.0.0.1", 0);
        proxy = FreezableProxy.to(mongo.getLocalAddress());
        leadscore.start(config -> config.withMongoUri("mongodb://127.0.0.1:" + proxy.port() + "/frozen"));
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(leadscore.channel());
        LeadServiceGrpc.LeadServiceBlockingStub leads = leadscore.leads();
        await("SERVING at start").atMost(RECOVERY).ignoreException(StatusRuntimeException.class)
                                 .until(() -> status(health) == ServingStatus.SERVING);
        leads.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).registerLead(
                RegisterLeadRequest.newBuilder().setLeadId("kept").setEmail("kept@acme.example")
                                   .setRegisteredAt(ts(NOW.minusSeconds(3600))).build());
        assertThat(codeOf(() -> engage(leads, "before"))).isEqualTo(Status.Code.OK);

        // when the store freezes
        proxy.freeze();

        // then health says so within two seconds, and writes are refused at once with a status to retry on
        await("NOT_SERVING once the store stops answering").atMost(DETECTION).pollInterval(Duration.ofMillis(50))
                .until(() -> status(health) == ServingStatus.NOT_SERVING);
        for (int i = 0; i < 5; i++) {
            String eventId = "during-" + i;
            long started = System.nanoTime();
            Status.Code code = codeOf(() -> engage(leads, eventId));
            assertThat(code).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
        }

        // and when it answers again, the server serves and takes writes
        proxy.thaw();
        await("SERVING once the store answers again").atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> status(health) == ServingStatus.SERVING);
        assertThat(codeOf(() -> engage(leads, "after"))).isEqualTo(Status.Code.OK);
    }

    private static void engage(LeadServiceGrpc.LeadServiceBlockingStub leads, String eventId) {
        leads.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).recordEngagement(
                RecordEngagementRequest.newBuilder().setEngagement(
                        Engagement.newBuilder().setLeadId("kept").setEventId(eventId).setType("page_view")
                                  .putAttributes("page_category", "pricing")
                                  .setOccurredAt(ts(NOW.minusSeconds(60)))).build());
    }

    private static ServingStatus status(HealthGrpc.HealthBlockingStub health) {
        return health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }
}
