package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RegisterLeadRequest;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers on one MongoDB store (as with {@code --mongo-uri} and more than one instance), eight callers writing
 * to the same twenty leads through both: each server's aggregate cache serialises only its own commands, so the
 * servers race for the same sequence numbers for real. A lost race is the server's to retry, within the call's
 * deadline: no caller sees ABORTED, and every acknowledged engagement is stored exactly once.
 */
class SharedStoreWritersTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final int LEADS = 20;
    private static final int WRITERS = 8;
    private static final int ENGAGEMENTS_PER_WRITER = 100;
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    final LeadscoreExtension serverA = LeadscoreExtension.withClockStoppedAt(NOW).startedByTheTest();
    @RegisterExtension
    final LeadscoreExtension serverB = LeadscoreExtension.withClockStoppedAt(NOW).startedByTheTest();
    private MongoServer mongo;

    @AfterEach
    void stopTheServersBeforeTheirStore() {
        serverA.stop();
        serverB.stop();
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @Test
    void writersOnTwoServersNeverSeeAbortedAndEveryAcknowledgedEngagementIsStoredOnce() throws Exception {
        // given one store and two servers on it
        mongo = new MongoServer(new H2Backend(new MVStore.Builder().open()));
        mongo.bind("127.0.0.1", 0);
        InetSocketAddress address = mongo.getLocalAddress();
        String uri = "mongodb://127.0.0.1:" + address.getPort() + "/shared";
        List<LeadServiceGrpc.LeadServiceBlockingStub> stubs = List.of(onTheStore(serverA, uri),
                                                                     onTheStore(serverB, uri));
        for (int lead = 0; lead < LEADS; lead++) {
            stubs.get(0).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).registerLead(
                    RegisterLeadRequest.newBuilder().setLeadId(leadId(lead)).setEmail("lead" + lead + "@acme.example")
                                       .setAccountDomain("acme.example").setRegisteredAt(ts(NOW.minusSeconds(3600)))
                                       .build());
        }

        // when eight writers, half on each server, engage the same lead at the same moment, lead after lead
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        List<Future<Map<Status.Code, Integer>>> results = new ArrayList<>();
        for (int writer = 0; writer < WRITERS; writer++) {
            LeadServiceGrpc.LeadServiceBlockingStub stub = stubs.get(writer % 2);
            int id = writer;
            results.add(writers.submit(() -> {
                start.await();
                Map<Status.Code, Integer> codes = new EnumMap<>(Status.Code.class);
                for (int i = 0; i < ENGAGEMENTS_PER_WRITER; i++) {
                    String eventId = "w" + id + "-" + i;
                    Status.Code code = engage(stub, leadId(i % LEADS), eventId);
                    if (code == Status.Code.OK) {
                        acknowledged.add(eventId);
                    }
                    codes.merge(code, 1, Integer::sum);
                }
                return codes;
            }));
        }
        start.countDown();
        Map<Status.Code, Integer> codes = new EnumMap<>(Status.Code.class);
        for (Future<Map<Status.Code, Integer>> result : results) {
            result.get().forEach((code, count) -> codes.merge(code, count, Integer::sum));
        }
        writers.shutdown();

        // then every write was acknowledged, and the store holds each acknowledged engagement exactly once
        assertThat(codes).containsExactly(Map.entry(Status.Code.OK, WRITERS * ENGAGEMENTS_PER_WRITER));
        List<String> stored = new ArrayList<>();
        for (int lead = 0; lead < LEADS; lead++) {
            serverA.server().internals().axon().eventStore().readEvents(leadId(lead)).asStream()
                   .filter(event -> event.getPayload() instanceof EngagementRecorded)
                   .map(event -> ((EngagementRecorded) event.getPayload()).engagement().eventId())
                   .forEach(stored::add);
        }
        assertThat(stored).hasSize(WRITERS * ENGAGEMENTS_PER_WRITER).doesNotHaveDuplicates()
                          .containsExactlyInAnyOrderElementsOf(acknowledged);
    }

    private static LeadServiceGrpc.LeadServiceBlockingStub onTheStore(LeadscoreExtension server, String uri) {
        return server.start(config -> config.withMongoUri(uri)).leads();
    }

    private static Status.Code engage(LeadServiceGrpc.LeadServiceBlockingStub stub, String leadId, String eventId) {
        try {
            stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).recordEngagement(
                    RecordEngagementRequest.newBuilder().setEngagement(
                            Engagement.newBuilder().setLeadId(leadId).setEventId(eventId).setType("page_view")
                                      .putAttributes("page_category", "pricing")
                                      .setOccurredAt(ts(NOW.minusSeconds(60)))).build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static String leadId(int lead) {
        return "shared-" + lead;
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }
}
