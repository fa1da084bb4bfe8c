package io.leadscore.server.readside;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.leadscore.server.lead.LeadState;
import org.bson.Document;

/**
 * Which fold built the persisted score rows. Rows of an earlier version (their stages were derived, not recorded)
 * are rebuilt before they are served. The marker sits beside the lead-snapshot marker, where earlier versions kept
 * it too.
 */
public final class ScoreRowFormat {

    private static final String ROWS = "lead-score-rows";

    private final MongoCollection<Document> markers;

    public ScoreRowFormat(MongoDatabase database) {
        this.markers = database.getCollection("snapshot_model");
    }

    /** Whether the persisted score rows were folded by this version's fold. */
    public boolean current() {
        Document marker = markers.find(Filters.eq("_id", ROWS)).first();
        return marker != null && Integer.valueOf(LeadState.FOLD_FORMAT).equals(marker.getInteger("fold"));
    }

    /** Records that the persisted score rows are of this version's fold. */
    public void rebuilt() {
        markers.replaceOne(Filters.eq("_id", ROWS), new Document("_id", ROWS).append("fold", LeadState.FOLD_FORMAT),
                           new ReplaceOptions().upsert(true));
    }
}
