package io.leadscore.server;

import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.StreamEngagementsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak: a server process ingesting concurrent unary calls and engagement streams is killed with SIGKILL at a
 * random moment and restarted, twenty times over by default. Every engagement acknowledged before any kill must be
 * stored (re-sending it yields a duplicate and changes nothing), and the projected scores must equal a clean replay
 * of the store.
 */
class CrashRecoveryIT {

    /** SIGKILLs in one run: 20 by default ({@code -Dleadscore.soak.kills=N}); the seed of the kill moments is printed. */
    private static final int KILLS = Integer.getInteger("leadscore.soak.kills", 20);
    private static final int WRITERS = 6;
    private static final int STREAM_WRITERS = 2;
    private static final int LEADS = 40;
    private static final Instant SCORED_AT = Instant.parse("2030-01-01T00:00:00Z");
    private static final String[] TYPES = {"page_view", "email_opened", "content_download", "webinar_registered",
                                           "form_submitted", "video_watched"};

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;

    @Test
    void acknowledgedEventsSurviveRepeatedSigkillAndScoresEqualACleanReplay() throws Exception {
        long seed = Long.getLong("leadscore.soak.seed", System.nanoTime());
        Random random = new Random(seed);
        Queue<Engagement> acknowledged = new ConcurrentLinkedQueue<>();
        Path log = logs.resolve("server.log");
        for (int round = 0; round < KILLS; round++) {
            try (ServerProcess server = ServerProcess.start(dataDir, log)) {
                LeadscoreClient client = LeadscoreClient.create(server.channel(), Duration.ofSeconds(10));
                if (round == 0) {
                    for (int i = 0; i < LEADS; i++) {
                        client.registerLead(RegisterLeadRequest.newBuilder().setLeadId("lead-" + i)
                                                               .setEmail("p" + i + "@acme.com").setChannel("crash")
                                                               .build());
                    }
                }
                AtomicBoolean running = new AtomicBoolean(true);
                ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
                for (int w = 0; w < WRITERS; w++) {
                    String writer = "r" + round + "w" + w;
                    boolean streaming = w >= WRITERS - STREAM_WRITERS;
                    writers.submit(() -> {
                        if (streaming) {
                            streamWriter(client, writer, running, acknowledged);
                        } else {
                            unaryWriter(client, writer, running, acknowledged);
                        }
                    });
                }
                // A random moment under load: early kills land while the first streams are still open.
                Thread.sleep(300 + random.nextInt(1500));
                server.kill();
                running.set(false);
                writers.shutdown();
                assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            }
        }
        List<Engagement> acked = new ArrayList<>(acknowledged);
        System.out.printf("soak: %d SIGKILLs survived, %d engagements acknowledged (seed %d)%n", KILLS, acked.size(),
                          seed);
        assertThat(acked).as("seed %d", seed).hasSizeGreaterThan(KILLS * 10);

        List<LeadScore> afterCrash;
        try (ServerProcess second = ServerProcess.start(dataDir, log)) {
            LeadscoreClient client = LeadscoreClient.create(second.channel(), Duration.ofSeconds(30));
            StreamEngagementsResponse resent = client.streamEngagements(acked.iterator());
            assertThat(resent.getRejected()).isZero();
            assertThat(resent.getAccepted()).as("acknowledged events missing after SIGKILL (seed %d)", seed).isZero();
            assertThat(resent.getDuplicates()).isEqualTo(acked.size());
            afterCrash = allScores(client);
            // Sending them once more has no effect either: not a version, not a point.
            assertThat(client.streamEngagements(acked.iterator()).getDuplicates()).isEqualTo(acked.size());
            assertThat(allScores(client)).isEqualTo(afterCrash);
        }

        try (ServerProcess replayed = ServerProcess.start(dataDir, log, "--rebuild-projections")) {
            LeadscoreClient client = LeadscoreClient.create(replayed.channel(), Duration.ofSeconds(30));
            assertThat(allScores(client)).isEqualTo(afterCrash);
            for (LeadScore score : afterCrash) {
                LeadScore fromAggregate = client.registerLead(RegisterLeadRequest.newBuilder()
                        .setLeadId(score.getLeadId()).setEmail(score.getLeadId().replace("lead-", "p") + "@acme.com")
                        .setChannel("crash").build()).getScore();
                LeadScore fromHistory = client.getScoreAt(score.getLeadId(), instant(fromAggregate.getAsOf()));
                assertThat(fromAggregate.getVersion()).isEqualTo(score.getVersion());
                assertThat(fromAggregate.getTotalScore()).isEqualTo(fromHistory.getTotalScore());
                assertThat(fromAggregate.getEngagementScore()).isEqualTo(fromHistory.getEngagementScore());
                assertThat(fromAggregate.getStage()).isEqualTo(fromHistory.getStage());
            }
        }
    }

    /** Every lead's projected row (version, stage) and its score at one fixed time, so runs compare exactly. */
    private static List<LeadScore> allScores(LeadscoreClient client) {
        BatchGetScoresResponse response = client.batchGetScores(
                IntStream.range(0, LEADS).mapToObj(i -> "lead-" + i).toList());
        assertThat(response.getNotFoundLeadIdsList()).isEmpty();
        assertThat(response.getScoresList()).hasSize(LEADS);
        return response.getScoresList().stream().sorted(Comparator.comparing(LeadScore::getLeadId))
                       .map(projected -> {
                           LeadScore fixed = client.getScoreAt(projected.getLeadId(), SCORED_AT);
                           assertThat(fixed.getVersion()).isEqualTo(projected.getVersion());
                           assertThat(fixed.getStage()).isEqualTo(projected.getStage());
                           return fixed;
                       }).toList();
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static Engagement engagement(String writer, long sequence) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence);
        return Engagement.newBuilder()
                .setEventId("w" + writer + "-" + sequence)
                .setLeadId("lead-" + Math.floorMod(writer.hashCode() * 7L + sequence, LEADS))
                .setType(TYPES[(int) (sequence % TYPES.length)])
                .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
                .putAttributes("page_category", sequence % 5 == 0 ? "pricing" : "blog")
                .build();
    }

    private static void unaryWriter(LeadscoreClient client, String writer, AtomicBoolean running,
                                    Queue<Engagement> acknowledged) {
        for (long sequence = 0; running.get(); sequence++) {
            Engagement engagement = engagement(writer, sequence);
            try {
                client.recordEngagement(engagement);
                acknowledged.add(engagement);
            } catch (StatusRuntimeException killed) {
                return;
            }
        }
    }

    private static void streamWriter(LeadscoreClient client, String writer, AtomicBoolean running,
                                     Queue<Engagement> acknowledged) {
        for (long batch = 0; running.get(); batch++) {
            List<Engagement> engagements = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                engagements.add(engagement(writer, batch * 50 + i));
            }
            try {
                StreamEngagementsResponse summary = client.streamEngagements(engagements.iterator());
                if (summary.getRejected() == 0) {
                    acknowledged.addAll(engagements);
                }
            } catch (StatusRuntimeException killed) {
                return;
            }
        }
    }
}
