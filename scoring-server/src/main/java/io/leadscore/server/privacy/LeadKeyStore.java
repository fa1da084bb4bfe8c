package io.leadscore.server.privacy;

import java.util.Map;

/**
 * Where the {@link PersonalDataVault} keeps the lead keys. A lead has no entry (nothing was sealed for it yet), a
 * key, or a tombstone once it was erased. On the embedded store the keys have a file of their own
 * ({@link FileLeadKeys}); on MongoDB a collection ({@link MongoLeadKeys}).
 */
interface LeadKeyStore {

    /** The lead's entry, or null when it has none. */
    StoredKey find(String leadId);

    /**
     * Stores {@code key} for a lead without an entry, durable no later than any event that uses it.
     *
     * @return the entry that stands: {@code key}, or the one another writer stored first
     */
    StoredKey createIfAbsent(String leadId, byte[] key);

    /** {@link #createIfAbsent} for many leads in one write; returns the entries that stood before, by lead. */
    Map<String, StoredKey> createAllIfAbsent(Map<String, byte[]> keys);

    /**
     * Leaves a tombstone in place of the lead's key and returns once that is durable and the key is as
     * unrecoverable as this store can make it. Idempotent.
     *
     * @return whether a key existed before the call
     */
    boolean erase(String leadId);
}
