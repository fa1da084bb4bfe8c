package io.leadscore.server.model.catalog;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.lead.LeadState;
import org.bson.Document;

/**
 * Lead snapshots hold state folded under one model (the score and when the lead qualified). This guard records
 * which model the stored snapshots belong to and drops them when another model is active, also after a crash in
 * the middle of a publish. Snapshots are only an optimization: leads are then sourced from their events.
 */
public final class SnapshotGuard {

    private static final String MARKER = "lead-snapshots";

    private final MongoCollection<Document> markers;
    private final MongoIndexedEventStorageEngine engine;

    public SnapshotGuard(MongoDatabase database, MongoIndexedEventStorageEngine engine) {
        this.markers = database.getCollection("snapshot_model");
        this.engine = engine;
    }

    /** Makes sure every stored lead snapshot was taken under {@code modelVersion}. */
    public void ensureFoldedUnder(String modelVersion) {
        Document marker = markers.find(Filters.eq("_id", MARKER)).first();
        if (marker != null && modelVersion.equals(marker.getString("model"))
            && Integer.valueOf(LeadState.FOLD_FORMAT).equals(marker.getInteger("fold"))) {
            return;
        }
        // Another model, or snapshots of an earlier fold (an upgrade): leads are sourced from their events.
        engine.deleteSnapshots();
        markers.replaceOne(Filters.eq("_id", MARKER), new Document("_id", MARKER).append("model", modelVersion)
                                                                            .append("fold", LeadState.FOLD_FORMAT),
                           new ReplaceOptions().upsert(true));
    }
}
