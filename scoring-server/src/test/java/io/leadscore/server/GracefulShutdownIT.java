package io.leadscore.server;

import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.EngagementOutcome;
import io.leadscore.v1.RegisterLeadRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM under load: the server stops accepting, drains what is in flight, closes the store and exits within
 * the bound, and every engagement it acknowledged is there after a restart.
 */
class GracefulShutdownIT {

    @TempDir
    Path work;

    @Test
    void sigtermDrainsAndExitsInTimeWithoutLosingAcknowledgedEvents() throws Exception {
        Path data = work.resolve("data");
        Path log = work.resolve("server.log");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        long exitMillis;
        int exitCode;
        try (ServerProcess server = ServerProcess.start(data, log)) {
            LeadscoreClient client = LeadscoreClient.create(server.channel(), Duration.ofSeconds(10));
            client.registerLead(RegisterLeadRequest.newBuilder().setLeadId("lead-1").build());
            Timestamp now = Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()).build();
            ExecutorService writers = Executors.newFixedThreadPool(8);
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.execute(() -> {
                    for (int i = 0; running.get(); i++) {
                        String eventId = "w" + writer + "-" + i;
                        try {
                            var reply = client.recordEngagement(Engagement.newBuilder().setLeadId("lead-1")
                                    .setEventId(eventId).setType("page_view").setOccurredAt(now).build());
                            if (reply.getOutcome() == EngagementOutcome.ENGAGEMENT_OUTCOME_ACCEPTED) {
                                acknowledged.add(eventId);
                            }
                        } catch (StatusRuntimeException refusedWhileStopping) {
                            // after SIGTERM new calls are refused; only acknowledged ones must survive
                        }
                    }
                });
            }
            Thread.sleep(2_000);
            long started = System.nanoTime();
            exitCode = server.terminate(Duration.ofSeconds(30));
            exitMillis = (System.nanoTime() - started) / 1_000_000;
            running.set(false);
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.log()).contains("Leadscore stopped");
        }
        assertThat(exitCode).as("exit code after SIGTERM (143 = terminated by the signal, hooks run)")
                            .isIn(0, 143);
        assertThat(exitMillis).as("time from SIGTERM to exit").isLessThan(20_000);
        assertThat(acknowledged).isNotEmpty();

        try (ServerProcess restarted = ServerProcess.start(data, log)) {
            LeadscoreClient client = LeadscoreClient.create(restarted.channel(), Duration.ofSeconds(10));
            Timestamp now = Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()).build();
            for (String eventId : List.copyOf(acknowledged)) {
                // Sent again, an acknowledged engagement must be a duplicate: it was stored.
                assertThat(client.recordEngagement(Engagement.newBuilder().setLeadId("lead-1").setEventId(eventId)
                                                             .setType("page_view").setOccurredAt(now).build())
                                 .getOutcome()).as(eventId).isEqualTo(EngagementOutcome.ENGAGEMENT_OUTCOME_DUPLICATE);
            }
        }
    }
}
