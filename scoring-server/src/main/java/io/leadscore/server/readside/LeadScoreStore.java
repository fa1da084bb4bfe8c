package io.leadscore.server.readside;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.storage.LongReadHold;
import io.leadscore.server.storage.MongoConnection;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The score projection's rows: all of them in memory for reads, persisted to the {@code lead_scores} collection in
 * batches so that a restart loads them instead of replaying the whole history.
 */
public final class LeadScoreStore {

    static final String COLLECTION = "lead_scores";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final int LOAD_BATCH = 5000;

    private final MongoCollection<Document> collection;
    private final Map<String, LeadSnapshot> rows = new ConcurrentHashMap<>();

    public LeadScoreStore(MongoDatabase database) {
        this.collection = database.getCollection(COLLECTION);
    }

    /**
     * Loads every persisted row into memory; called once at start-up. In batches: the embedded server otherwise
     * answers with every row in one reply, which at a million leads (340 MB) exceeds the wire protocol's limit and
     * the server could not restart (found by bench footprint). On the embedded store the rows are read straight
     * from its map with the version pinned: a query over a million rows runs for a minute, and the store's own
     * compaction after opening a large file freed chunks under it ("Chunk ... not found", bench footprint at 9M
     * events).
     */
    public int load(MongoConnection connection) {
        rows.clear();
        try (LongReadHold pinned = connection.holdSnapshotForLongRead()) {
            Iterator<Document> documents = connection.scanEmbedded(COLLECTION)
                    .orElseGet(() -> collection.find().batchSize(LOAD_BATCH).iterator());
            while (documents.hasNext()) {
                LeadSnapshot row = LeadScoreDocuments.fromDocument(documents.next());
                rows.put(row.leadId(), row);
            }
        }
        return rows.size();
    }

    public Optional<LeadSnapshot> find(String leadId) {
        return Optional.ofNullable(rows.get(leadId));
    }

    public int size() {
        return rows.size();
    }

    /** Makes the row visible to readers at once; {@link #persist} writes it later with its batch. */
    void put(LeadSnapshot row) {
        rows.put(row.leadId(), row);
    }

    /** Writes rows in one bulk upsert by exact key. */
    void persist(Collection<LeadSnapshot> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> writes = new ArrayList<>(batch.size());
        for (LeadSnapshot row : batch) {
            writes.add(new ReplaceOneModel<>(new Document("_id", row.leadId()),
                                             LeadScoreDocuments.toDocument(row), UPSERT));
        }
        collection.bulkWrite(writes);
    }

    /**
     * Every row as it stands, without a copy: for walks over all leads that need no snapshot of them all (a copy
     * of a million rows costs more than the walk). Rows may change while the walk goes on.
     */
    public Collection<LeadSnapshot> rows() {
        return java.util.Collections.unmodifiableCollection(rows.values());
    }

    /** Every row, as a copy: for comparing before and after a model change. */
    public Map<String, LeadSnapshot> all() {
        return Map.copyOf(rows);
    }
}
