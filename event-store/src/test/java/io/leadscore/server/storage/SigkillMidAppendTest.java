package io.leadscore.server.storage;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.utils.TestSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process appending multi-event batches from several threads (the way a stream's RecordEngagementsCommand does)
 * is killed with SIGKILL at random moments. After each kill the store must be self-consistent: every document the
 * embedded store holds is found through its indexes, so a fold of a lead's events one by one ({@code readEvents},
 * index lookups) and a replay of the raw documents ({@code scanEmbedded}) see the same events.
 */
class SigkillMidAppendTest {

    private static final int KILLS = Integer.getInteger("leadscore.torn.kills", 15);
    private static final int THREADS = 6;
    private static final int BATCH = 5;

    @TempDir
    Path dataDir;

    @Test
    void everyDocumentLeftByAKillIsReadableThroughTheIndexes() throws Exception {
        Random random = new Random(Long.getLong("leadscore.torn.seed", System.nanoTime()));
        List<String> problems = new ArrayList<>();
        long[] checkedUpTo = {0};
        for (int round = 0; round < KILLS && problems.isEmpty(); round++) {
            Process writer = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Writer.class.getName(), dataDir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // A random moment under load, counted in acknowledged appends so that a slow machine gets there too.
            int appends = 200 + random.nextInt(800);
            try (BufferedReader acknowledged = new BufferedReader(new InputStreamReader(writer.getInputStream()))) {
                for (int i = 0; i < appends; i++) {
                    assertThat(acknowledged.readLine()).as("the writer died").isNotNull();
                }
                writer.destroyForcibly(); // SIGKILL
            }
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            problems.addAll(inconsistencies(dataDir, round, checkedUpTo));
        }
        problems.forEach(System.out::println);
        assertThat(problems).isEmpty();
    }

    /**
     * Compares, lead by lead, what index lookups read with what the documents map holds; documents above position
     * {@code checkedUpTo[0]} (those a previous round did not see) are also looked up by each unique key.
     */
    static List<String> inconsistencies(Path dataDir, int round, long[] checkedUpTo) {
        List<String> problems = new ArrayList<>();
        try (MongoConnection connection = MongoConnection.embedded(dataDir);
             LongReadHold hold = connection.holdSnapshotForLongRead()) {
            MongoIndexedEventStorageEngine engine = engine(connection);
            MongoCollection<Document> events = connection.database()
                                                         .getCollection(MongoIndexedEventStorageEngine.EVENTS);
            // The replay's view: every document in the store's order, first document of a sequence number wins.
            Map<String, TreeMap<Long, Document>> scanned = new LinkedHashMap<>();
            Iterator<Document> documents = connection.scanEmbedded(MongoIndexedEventStorageEngine.EVENTS).orElseThrow();
            long count = 0;
            long highest = checkedUpTo[0];
            while (documents.hasNext()) {
                Document document = documents.next();
                count++;
                scanned.computeIfAbsent(document.getString("aggregateIdentifier"), id -> new TreeMap<>())
                       .putIfAbsent(document.getLong("sequenceNumber"), document);
                long position = document.getLong("_id");
                highest = Math.max(highest, position);
                if (position <= checkedUpTo[0]) {
                    continue;
                }
                for (String field : List.of("_id", "streamKey", "eventIdentifier")) {
                    Document found = events.find(Filters.eq(field, document.get(field))).first();
                    if (found == null || !found.get("_id").equals(document.get("_id"))) {
                        problems.add("round " + round + ": document _id=" + document.get("_id") + " seq="
                                     + document.get("sequenceNumber") + " of " + document.get("aggregateIdentifier")
                                     + " not found by " + field + " (found " + (found == null ? null
                                : "_id=" + found.get("_id")) + ")");
                    }
                }
            }
            checkedUpTo[0] = highest;
            // The aggregate's view: index lookups by stream key.
            for (Map.Entry<String, TreeMap<Long, Document>> lead : scanned.entrySet()) {
                List<String> oneByOne = new ArrayList<>();
                DomainEventStream stream = engine.readEvents(lead.getKey(), 0);
                while (stream.hasNext()) {
                    oneByOne.add(stream.next().getIdentifier());
                }
                List<String> replayed = lead.getValue().values().stream()
                                            .map(d -> d.getString("eventIdentifier")).toList();
                if (!oneByOne.equals(replayed)) {
                    problems.add("round " + round + ": " + lead.getKey() + " readEvents " + oneByOne.size()
                                 + " events, scan " + replayed.size() + "; first difference at sequence "
                                 + firstDifference(oneByOne, replayed));
                }
            }
            System.out.printf("round %d: %d documents, %d leads, %d problems%n", round, count, scanned.size(),
                              problems.size());
        }
        return problems;
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    static MongoIndexedEventStorageEngine engine(MongoConnection connection) {
        return EventStorage.on(connection, TestSerializer.xStreamSerializer());
    }

    /** Appends batches of {@value #BATCH} events to its own lead from each of {@value #THREADS} threads until killed. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            MongoConnection connection = MongoConnection.embedded(Path.of(args[0]));
            MongoIndexedEventStorageEngine engine = engine(connection);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String lead = "lead-" + t;
                Thread thread = new Thread(() -> {
                    long next = engine.lastSequenceNumberFor(lead).map(last -> last + 1).orElse(0L);
                    while (true) {
                        List<DomainEventMessage<?>> batch = new ArrayList<>();
                        for (int i = 0; i < BATCH; i++) {
                            batch.add(new GenericDomainEventMessage<>("Lead", lead, next + i, "payload " + (next + i)));
                        }
                        try {
                            engine.appendEvents(batch);
                            next += BATCH;
                            System.out.println(lead + " " + next);
                        } catch (RuntimeException e) {
                            next = engine.lastSequenceNumberFor(lead).map(last -> last + 1).orElse(0L);
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }
}
