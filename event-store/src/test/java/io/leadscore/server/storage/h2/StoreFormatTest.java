package io.leadscore.server.storage.h2;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.leadscore.server.storage.MongoConnection;
import org.bson.Document;
import org.bson.types.Binary;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded store's file format: compact types on new stores, and older stores converted without loss. */
class StoreFormatTest {

    private static final String FILE = "leadscore.mv.db";

    @TempDir
    Path dataDir;

    @Test
    void aNewStoreKeepsEveryDocumentAndIndexMapInItsCompactType() {
        try (MongoConnection connection = MongoConnection.embedded(dataDir)) {
            writeSample(connection.database().getCollection("events"));
            connection.database().getCollection("other").insertOne(new Document("_id", "x").append("n", 1));
        }
        assertEveryMapTyped();
        try (MongoConnection connection = MongoConnection.embedded(dataDir)) {
            assertSampleReadable(connection.database().getCollection("events"));
        }
    }

    @Test
    void aStoreWrittenByTheDefaultH2TypesIsConvertedWithEveryDocumentAndUniqueKey() {
        MVStore old = new MVStore.Builder().fileName(dataDir.resolve(FILE).toString()).open();
        MongoServer server = new MongoServer(new H2Backend(old));
        try (MongoClient client = MongoClients.create("mongodb://" + server.bind().getHostString() + ":"
                                                      + server.getLocalAddress().getPort())) {
            writeSample(client.getDatabase(MongoConnection.DEFAULT_DATABASE).getCollection("events"));
        } finally {
            server.shutdownNow();
            old.close();
        }

        try (MongoConnection connection = MongoConnection.embedded(dataDir)) {
            assertSampleReadable(connection.database().getCollection("events"));
        }
        assertEveryMapTyped();
    }

    private static void writeSample(MongoCollection<Document> events) {
        events.createIndex(Indexes.ascending("streamKey"), new IndexOptions().unique(true));
        List<Document> documents = new ArrayList<>();
        for (long i = 0; i < 500; i++) {
            documents.add(new Document("_id", i).append("streamKey", "lead-" + (i % 50) + "#" + (i / 50))
                                                .append("payload", new Binary(("{\"n\":" + i + "}").getBytes()))
                                                .append("at", Date.from(Instant.ofEpochSecond(1_700_000_000L + i)))
                                                .append("tags", List.of("a", "b"))
                                                .append("nested", new Document("score", i * 1.5)));
        }
        events.insertMany(documents);
    }

    private static void assertSampleReadable(MongoCollection<Document> events) {
        assertThat(events.countDocuments()).isEqualTo(500);
        Document document = events.find(new Document("streamKey", "lead-7#3")).first();
        assertThat(document).isNotNull();
        assertThat(document.getLong("_id")).isEqualTo(157L);
        assertThat(new String(document.get("payload", Binary.class).getData())).isEqualTo("{\"n\":157}");
        assertThat(document.getDate("at").toInstant()).isEqualTo(Instant.ofEpochSecond(1_700_000_157L));
        assertThat(document.getList("tags", String.class)).containsExactly("a", "b");
        assertThat(document.get("nested", Document.class).getDouble("score")).isEqualTo(235.5);
        // The unique index still guards the key after conversion.
        assertThatThrownBy(() -> events.insertOne(new Document("_id", 9999L).append("streamKey", "lead-7#3")))
                .isInstanceOf(MongoWriteException.class)
                .satisfies(e -> assertThat(((MongoWriteException) e).getCode()).isEqualTo(11000));
    }

    private void assertEveryMapTyped() {
        MVStore store = new MVStore.Builder().fileName(dataDir.resolve(FILE).toString()).open();
        try {
            List<String> checked = new ArrayList<>();
            for (String name : store.getMapNames()) {
                assertThat(name).doesNotStartWith("converting.");
                if (TypedMaps.isDocuments(name)) {
                    TypedMaps.documents(store, name).values().forEach(value -> assertThat(value).isInstanceOf(
                            de.bwaldvogel.mongo.bson.Document.class));
                    checked.add(name);
                } else if (TypedMaps.isIndex(name)) {
                    TypedMaps.index(store, name).keySet().forEach(key -> assertThat(key).isInstanceOf(
                            de.bwaldvogel.mongo.backend.KeyValue.class));
                    checked.add(name);
                }
            }
            assertThat(checked).contains("databases.leadscore.events", "databases.leadscore.system.namespaces",
                                         "leadscore.events._index_streamKey_1");
        } finally {
            store.close();
        }
    }
}
