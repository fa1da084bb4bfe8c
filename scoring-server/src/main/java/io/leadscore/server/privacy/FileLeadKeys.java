package io.leadscore.server.privacy;

import io.leadscore.server.storage.KeyFile;

import java.util.HashMap;
import java.util.Map;

/**
 * Lead keys in the embedded store's own key file. Erasing a key rewrites that file ({@link KeyFile#overwrite}), so
 * no freed page anywhere under the data directory keeps the key once EraseLead answers. A tombstone is a value
 * of no bytes.
 */
final class FileLeadKeys implements LeadKeyStore {

    private static final byte[] TOMBSTONE = new byte[0];

    private final KeyFile file;

    FileLeadKeys(KeyFile file) {
        this.file = file;
    }

    /**
     * The keys in {@code file}, after moving there the keys that earlier versions kept in the main store's
     * {@value MongoLeadKeys#COLLECTION} collection (the collection is dropped once the file holds them). What the
     * main file held of them stays in its freed pages until reused: SECURITY.md says what that means.
     */
    static FileLeadKeys adoptingKeysOf(io.leadscore.server.storage.MongoConnection mainStore, KeyFile file) {
        com.mongodb.client.MongoCollection<org.bson.Document> legacy = mainStore.database().getCollection(
                MongoLeadKeys.COLLECTION);
        Map<String, byte[]> moved = new HashMap<>();
        // Straight from the store's map: through the embedded server a million keys come back as one reply,
        // larger than the wire protocol allows, and the server could not start (found by bench queue).
        try (io.leadscore.server.storage.LongReadHold pinned = mainStore.holdSnapshotForLongRead()) {
            java.util.Iterator<org.bson.Document> stored = mainStore.scanEmbedded(MongoLeadKeys.COLLECTION)
                    .orElseGet(() -> legacy.find().batchSize(5000).iterator());
            while (stored.hasNext()) {
                org.bson.Document entry = stored.next();
                Object key = entry.get("key");
                moved.put(entry.getString("_id"), key instanceof org.bson.types.Binary binary ? binary.getData()
                        : key instanceof byte[] bytes ? bytes : TOMBSTONE);
            }
        }
        if (!moved.isEmpty()) {
            file.putAllIfAbsent(moved);
            file.sync();
            legacy.drop();
        }
        return new FileLeadKeys(file);
    }

    @Override
    public StoredKey find(String leadId) {
        return entry(file.get(leadId));
    }

    @Override
    public StoredKey createIfAbsent(String leadId, byte[] key) {
        StoredKey before = entry(file.putIfAbsent(leadId, key));
        return before == null ? new StoredKey(key) : before;
    }

    @Override
    public Map<String, StoredKey> createAllIfAbsent(Map<String, byte[]> keys) {
        Map<String, StoredKey> standing = new HashMap<>();
        file.putAllIfAbsent(keys).forEach((leadId, value) -> standing.put(leadId, entry(value)));
        return standing;
    }

    @Override
    public boolean erase(String leadId) {
        byte[] before = file.get(leadId);
        if (before == null) {
            // No key was ever written: nothing to shred, only the tombstone to keep.
            file.putDurably(leadId, TOMBSTONE);
            return false;
        }
        boolean hadKey = before.length > 0;
        // A tombstone still waiting for its rewrite (another erasure of the lead is under way) is not yet safe to
        // answer on; one already in the file came through a rewrite that left no copy of the key.
        if (hadKey || file.isOverwritePending(leadId)) {
            file.overwrite(leadId, TOMBSTONE);
        }
        return hadKey;
    }

    private static StoredKey entry(byte[] value) {
        if (value == null) {
            return null;
        }
        return value.length == 0 ? StoredKey.ERASED : new StoredKey(value);
    }
}
