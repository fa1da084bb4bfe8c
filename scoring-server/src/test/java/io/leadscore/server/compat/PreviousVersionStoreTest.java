package io.leadscore.server.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadscore.server.InProcessLeadscore;
import io.leadscore.server.ServerConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store written by an earlier version opens and scores the same: for every fixture under
 * {@code src/test/resources/stores/} (a data directory an earlier commit's server left, and what that server
 * answered), this version starts on a copy with the same stopped clock and must read every stored event and the
 * snapshot, answer every recorded read exactly as recorded, also with its projections rebuilt from the events, and
 * take a new write on the lead whose aggregate comes from a snapshot, scoring it as the model says.
 *
 * <p>Axon stores each event's and snapshot's class name, and the server stores projection rows, the token, the
 * catalog's events, lead keys: moving an event class, renaming a record component or changing what a row means
 * breaks old stores, and this test says where. A failure lists each differing answer as
 * {@code reads.<call>.response.<field>: expected X, was Y}. If the change is meant (a new field in an answer, a
 * corrected score), record a new fixture and say in the commit why the old one's answers changed; an old fixture is
 * kept as long as its store must still open.
 *
 * <p>Recording a fixture: {@link PreviousVersionStoreWriter} (the command is in its comment and in
 * {@code stores/README.md}).
 */
class PreviousVersionStoreTest {

    /** At most this many differing answers are listed. */
    private static final int SHOWN_DIFFERENCES = 60;
    /** Answer fields added after the fixtures were recorded, which their answers cannot hold. */
    private static final java.util.Set<String> ADDED_SINCE = java.util.Set.of("position");

    @TempDir
    Path work;

    static Stream<String> fixtures() {
        Path stores = storesOnTheClasspath();
        try (Stream<Path> folders = Files.list(stores)) {
            List<String> names = folders.filter(folder -> Files.exists(folder.resolve(PreviousVersionStoreWriter.FILE)))
                                        .map(folder -> folder.getFileName().toString()).sorted().toList();
            assertThat(names).as("store fixtures under %s", stores).isNotEmpty();
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aStoreWrittenByAnEarlierVersionOpensAndAnswersEveryReadTheSame(String fixture) {
        // given the data directory an earlier version left, and what it answered
        JsonNode expected = expected(fixture);
        Path dataDir = copyOfStore(fixture);

        // when this version opens it
        try (InProcessLeadscore server = start(ServerConfig.forTests(dataDir), expected)) {

            // then every stored event and the snapshot still read, and every read answers as before
            Map<String, Integer> events = StoredHistory.eventsByType(server.server());
            assertThat(events.keySet()).as("stored events this version cannot read")
                                       .noneMatch(type -> type.startsWith(StoredHistory.UNREADABLE));
            assertThat(events.values().stream().mapToInt(Integer::intValue).sum())
                    .as("stored events read").isEqualTo(total(expected.path("storedEvents")));
            // A snapshot of an earlier fold is dropped at start-up (SnapshotGuard); one that is kept must read.
            Optional<String> snapshot = StoredHistory.snapshotType(server.server(), snapshotLead(expected));
            snapshot.ifPresent(type -> assertThat(type).as("the stored snapshot").doesNotStartWith(
                    StoredHistory.UNREADABLE));
            assertThat(readDifferences(server, expected)).as("answers of %s that differ", fixture).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void projectionsRebuiltFromTheOldEventsAnswerTheSame(String fixture) {
        // given the data directory an earlier version left
        JsonNode expected = expected(fixture);
        Path dataDir = copyOfStore(fixture);

        // when this version opens it and rebuilds its projections from the stored events (as after a fold change)
        try (InProcessLeadscore server = start(ServerConfig.forTests(dataDir).withRebuildProjections(true), expected)) {

            // then the answers are the same as from the rows the earlier version stored
            assertThat(readDifferences(server, expected)).as("answers of %s that differ", fixture).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aNewWriteOnTheLeadWithASnapshotScoresAsTheModelSays(String fixture) {
        // given the data directory an earlier version left, with a lead of more than 100 events (a snapshot)
        JsonNode expected = expected(fixture);
        Path dataDir = copyOfStore(fixture);
        String lead = snapshotLead(expected);
        JsonNode before = expected.path("reads").path("GetScore " + lead).path("response").path("score");
        assertThat(before.isObject()).as("the fixture's GetScore of %s", lead).isTrue();

        try (InProcessLeadscore server = start(ServerConfig.forTests(dataDir), expected)) {
            // when this version takes the recorded writes (a trial started now), then reads the lead again
            List<String> differences = new ArrayList<>();
            JsonNode afterTrial = null;
            int index = 0;
            for (JsonNode call : expected.path("writes")) {
                JsonNode actual = RecordedCalls.replay(server.channel(), call);
                if (call.path("method").asText().startsWith("leadscore.v1.LeadService/")) {
                    afterTrial = afterTrial == null ? actual : afterTrial;
                    PreviousVersionStoreWriter.await("the score projection caught up",
                                                     () -> server.server().internals().axon().projectionCaughtUp());
                }
                differences.addAll(RecordedCalls.differences(
                        "writes[" + index++ + "] " + call.path("name").asText(), call.path("response"), actual,
                        SHOWN_DIFFERENCES, ADDED_SINCE));
            }

            // then the trial's points are added to the engagement the old events earned, which qualifies the lead
            assertThat(afterTrial).as("the answer to the new write").isNotNull();
            JsonNode score = afterTrial.path("score");
            assertThat(score.path("engagementScore").asDouble())
                    .isEqualTo(before.path("engagementScore").asDouble() + PreviousVersionStoreWriter.TRIAL_POINTS);
            assertThat(score.path("totalScore").asDouble())
                    .isEqualTo(before.path("totalScore").asDouble() + PreviousVersionStoreWriter.TRIAL_POINTS);
            assertThat(score.path("stage").asText()).isEqualTo("LEAD_STAGE_MQL");
            assertThat(score.path("mqlAt").asText()).isEqualTo(expected.path("clock").asText());
            // the engagement and the qualification: two events after the last one the earlier version stored
            assertThat(Long.parseLong(score.path("version").asText()))
                    .isEqualTo(Long.parseLong(before.path("version").asText()) + 2);
            assertThat(differences).as("answers of %s to the new write that differ", fixture).isEmpty();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static InProcessLeadscore start(ServerConfig config, JsonNode expected) {
        InProcessLeadscore server = InProcessLeadscore.start(config, Instant.parse(expected.path("clock").asText()));
        PreviousVersionStoreWriter.await("the score projection caught up",
                                         () -> server.server().internals().axon().projectionCaughtUp());
        return server;
    }

    /** Every recorded read replayed; where an answer differs, one line per differing field. */
    private static List<String> readDifferences(InProcessLeadscore server, JsonNode expected) {
        List<String> differences = new ArrayList<>();
        expected.path("reads").fields().forEachRemaining(read -> differences.addAll(RecordedCalls.differences(
                "reads." + read.getKey() + ".response", read.getValue().path("response"),
                RecordedCalls.replay(server.channel(), read.getValue()), SHOWN_DIFFERENCES - differences.size(),
                ADDED_SINCE)));
        assertThat(expected.path("reads").size()).as("recorded reads").isPositive();
        return differences;
    }

    private static String snapshotLead(JsonNode expected) {
        return expected.path("snapshotLead").asText();
    }

    private static int total(JsonNode counts) {
        int total = 0;
        for (JsonNode count : counts) {
            total += count.asInt();
        }
        return total;
    }

    private static JsonNode expected(String fixture) {
        return RecordedCalls.read(storesOnTheClasspath().resolve(fixture).resolve(PreviousVersionStoreWriter.FILE));
    }

    /** The fixture's store, copied: the server writes to the store it opens, and the fixture stays as recorded. */
    private Path copyOfStore(String fixture) {
        Path copy = work.resolve(fixture);
        RecordedCalls.copyTree(storesOnTheClasspath().resolve(fixture).resolve(PreviousVersionStoreWriter.STORE),
                               copy);
        return copy;
    }

    private static Path storesOnTheClasspath() {
        URL stores = PreviousVersionStoreTest.class.getResource("/stores");
        assertThat(stores).as("src/test/resources/stores on the test classpath").isNotNull();
        try {
            return Path.of(stores.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
