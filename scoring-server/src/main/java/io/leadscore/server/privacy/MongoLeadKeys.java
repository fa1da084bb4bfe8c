package io.leadscore.server.privacy;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.InsertManyOptions;
import io.leadscore.server.eventstore.DurabilityBarrier;
import org.bson.Document;
import org.bson.types.Binary;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lead keys in the {@value #COLLECTION} collection of MongoDB. A deleted key's bytes may stay in WiredTiger's free
 * pages, the journal, the oplog and backups until MongoDB reuses or drops them, which no client can force; see
 * SECURITY.md for what that means for erasure on MongoDB.
 */
final class MongoLeadKeys implements LeadKeyStore {

    static final String COLLECTION = "lead_keys";

    private final MongoCollection<Document> keys;
    private final DurabilityBarrier durability;
    private final Clock clock;

    MongoLeadKeys(MongoDatabase database, DurabilityBarrier durability, Clock clock) {
        this.keys = database.getCollection(COLLECTION);
        this.durability = durability;
        this.clock = clock;
    }

    @Override
    public StoredKey find(String leadId) {
        return entry(keys.find(Filters.eq("_id", leadId)).first());
    }

    /** The key is durable no later than the event that uses it: both writes use the connection's write concern. */
    @Override
    public StoredKey createIfAbsent(String leadId, byte[] key) {
        try {
            keys.insertOne(document(leadId, key));
            return new StoredKey(key);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return find(leadId);
        }
    }

    @Override
    public Map<String, StoredKey> createAllIfAbsent(Map<String, byte[]> created) {
        List<Document> documents = new ArrayList<>();
        created.forEach((leadId, key) -> documents.add(document(leadId, key)));
        Map<String, StoredKey> standing = new HashMap<>();
        if (documents.isEmpty()) {
            return standing;
        }
        try {
            keys.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                String leadId = documents.get(error.getIndex()).getString("_id");
                standing.put(leadId, find(leadId));
            }
        }
        return standing;
    }

    @Override
    public boolean erase(String leadId) {
        Document tombstone = new Document("_id", leadId).append("erasedAt", Date.from(clock.instant()));
        Document before = keys.findOneAndReplace(Filters.eq("_id", leadId), tombstone,
                                                 new FindOneAndReplaceOptions().upsert(true));
        durability.awaitDurable();
        return before != null && before.get("key") != null;
    }

    private Document document(String leadId, byte[] key) {
        return new Document("_id", leadId).append("key", new Binary(key)).append("createdAt", Date.from(clock.instant()));
    }

    private static StoredKey entry(Document stored) {
        if (stored == null) {
            return null;
        }
        Binary key = stored.get("key", Binary.class);
        return key == null ? StoredKey.ERASED : new StoredKey(key.getData());
    }
}
