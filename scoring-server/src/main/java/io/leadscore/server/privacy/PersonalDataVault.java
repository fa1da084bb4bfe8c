package io.leadscore.server.privacy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.MongoDatabase;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.eventstore.DurabilityBarrier;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Crypto-shredding for personal data: every lead has its own AES-256 key, personal values are stored sealed with
 * it (AES-GCM, the lead id as associated data so a sealed value cannot be moved to another lead), and erasure
 * destroys the key. The sealed values stay in events, snapshots and backups of them, unreadable.
 *
 * <p>A sealed value is a string {@code sealed:v1:<lead id, base64url>:<nonce and ciphertext, base64url>}: it names
 * its lead, so reading it needs no context. Most sealed values are opened only when shown; the one that scoring
 * reads, the job title ({@link ScoredPersonalData}), is opened as its event is read, so replays and backtests read
 * one key per lead with a title (from the cache, or one read by id: an in-process map lookup on the embedded
 * store).
 *
 * <p>Keys live in a {@link LeadKeyStore}: the embedded store's own key file, rewritten on every erasure so that no
 * freed page keeps an erased key, or the {@value #COLLECTION} collection on MongoDB. An erased lead keeps a
 * tombstone there, so nothing personal about it can be sealed again.
 */
public final class PersonalDataVault implements PersonalDataReader {

    static final String COLLECTION = MongoLeadKeys.COLLECTION;
    private static final String PREFIX = "sealed:v1:";
    /** Sealed values inside a longer text (explanation lines quote adjustment reasons). */
    private static final Pattern SEALED = Pattern.compile("sealed:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final LeadKeyStore keys;
    private final SecureRandom random = new SecureRandom();
    /** Keys by lead; an empty value marks an erased lead. */
    private final Cache<String, Optional<byte[]>> cache;

    PersonalDataVault(LeadKeyStore keys, int cachedKeys) {
        this.keys = keys;
        this.cache = Caffeine.newBuilder().maximumSize(cachedKeys).build();
    }

    /** A vault with its keys in the {@code lead_keys} collection of {@code database} (MongoDB). */
    public PersonalDataVault(MongoDatabase database, DurabilityBarrier durability, Clock clock, int cachedKeys) {
        this(new MongoLeadKeys(database, durability, clock), cachedKeys);
    }

    /**
     * The vault of the store behind {@code connection}: on the embedded store its own key file (keys kept in the
     * main store by earlier versions are moved there first), on MongoDB the {@code lead_keys} collection.
     */
    public static PersonalDataVault on(io.leadscore.server.storage.MongoConnection connection, int cachedKeys) {
        return connection.keyFile()
                         .map(file -> new PersonalDataVault(FileLeadKeys.adoptingKeysOf(connection, file),
                                                            cachedKeys))
                         .orElseGet(() -> new PersonalDataVault(connection.database(), connection.durability(),
                                                                Clock.systemUTC(), cachedKeys));
    }

    /** True when {@code value} is a sealed value (as stored), not plain text. */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /**
     * Seals {@code plaintext} with the lead's key, creating the key on first use. Empty values, values already
     * sealed and the erased marker are returned as they are: there is nothing to protect in them.
     *
     * @throws LeadscoreException FAILED_PRECONDITION when the lead was erased
     */
    public String seal(String leadId, String plaintext) {
        if (plaintext == null || plaintext.isEmpty() || isSealed(plaintext) || Erased.VALUE.equals(plaintext)) {
            return plaintext;
        }
        byte[] key = keyFor(leadId, true).orElseThrow(() -> erasedLead(leadId));
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key, nonce, leadId,
                              plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] stored = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
        return PREFIX + ENCODER.encodeToString(leadId.getBytes(StandardCharsets.UTF_8)) + ":"
               + ENCODER.encodeToString(stored);
    }

    /** The plain text of a value: itself when not sealed, {@value Erased#VALUE} when its lead's key was destroyed. */
    @Override
    public String reveal(String value) {
        if (!isSealed(value)) {
            return value;
        }
        String[] parts = value.substring(PREFIX.length()).split(":", 2);
        if (parts.length != 2) {
            return Erased.VALUE;
        }
        String leadId = new String(DECODER.decode(parts[0]), StandardCharsets.UTF_8);
        Optional<byte[]> key = keyFor(leadId, false);
        if (key.isEmpty()) {
            return Erased.VALUE;
        }
        byte[] stored = DECODER.decode(parts[1]);
        byte[] nonce = java.util.Arrays.copyOf(stored, NONCE_BYTES);
        byte[] ciphertext = java.util.Arrays.copyOfRange(stored, NONCE_BYTES, stored.length);
        return new String(crypt(Cipher.DECRYPT_MODE, key.get(), nonce, leadId, ciphertext), StandardCharsets.UTF_8);
    }

    /** {@code text} with every sealed value in it revealed (or shown as erased). */
    public String revealWithin(String text) {
        if (text == null || !text.contains(PREFIX)) {
            return text;
        }
        Matcher matcher = SEALED.matcher(text);
        StringBuilder revealed = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(revealed, Matcher.quoteReplacement(reveal(matcher.group())));
        }
        matcher.appendTail(revealed);
        return revealed.toString();
    }

    /**
     * Creates the keys of many leads at once (one insert of them all), for writers of history in bulk: sealing a
     * new lead's first value otherwise costs a lookup and an insert. Leads that already have a key (or were erased)
     * keep theirs. The keys created are cached, so size the cache for them.
     */
    public void createKeys(java.util.Collection<String> leadIds) {
        java.util.Map<String, byte[]> created = new java.util.LinkedHashMap<>();
        leadIds.forEach(leadId -> created.put(leadId, newKey()));
        // Someone else's key stands for the others; it is looked up when first needed.
        created.keySet().removeAll(keys.createAllIfAbsent(created).keySet());
        created.forEach((leadId, key) -> cache.put(leadId, Optional.of(key)));
    }

    /**
     * Destroys the lead's key, leaving a tombstone, and returns once that is durable. Idempotent.
     *
     * @return whether a key existed before the call
     */
    public boolean erase(String leadId) {
        // Cached first: from here on nothing reveals or seals with the key, even while the store erases it.
        cache.put(leadId, Optional.empty());
        return keys.erase(leadId);
    }

    /** The lead's key as it stands (empty once erased or never created), for tests that look for its bytes. */
    Optional<byte[]> currentKey(String leadId) {
        return keyFor(leadId, false).map(byte[]::clone);
    }

    private Optional<byte[]> keyFor(String leadId, boolean create) {
        Optional<byte[]> cached = cache.getIfPresent(leadId);
        if (cached != null) {
            return cached;
        }
        StoredKey stored = keys.find(leadId);
        if (stored == null && create) {
            stored = keys.createIfAbsent(leadId, newKey());
        }
        if (stored == null) {
            // No key yet and none wanted: nothing was ever sealed for this lead. Not cached, a seal may follow.
            return Optional.empty();
        }
        Optional<byte[]> found = stored.erased() ? Optional.empty() : Optional.of(stored.key());
        cache.put(leadId, found);
        return found;
    }

    /** A fresh random AES-256 key. */
    private byte[] newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    private static byte[] crypt(int mode, byte[] key, byte[] nonce, String leadId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(leadId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // A tampered value or one moved from another lead fails authentication: never shown, never guessed.
            throw new IllegalStateException("a sealed value of lead " + leadId + " does not authenticate", e);
        }
    }

    private static LeadscoreException erasedLead(String leadId) {
        return new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "lead_id",
                                      "lead " + leadId + " was erased: no personal data can be stored for it");
    }
}
