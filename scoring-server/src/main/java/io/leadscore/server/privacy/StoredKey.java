package io.leadscore.server.privacy;

/**
 * What a {@link LeadKeyStore} holds for a lead that has an entry: its key, or the tombstone left by its erasure
 * (no key), so that nothing personal about the lead can be sealed again.
 */
record StoredKey(byte[] key) {

    static final StoredKey ERASED = new StoredKey(null);

    boolean erased() {
        return key == null;
    }
}
