package io.leadscore.server.privacy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.eventstore.DurabilityBarrier;
import org.bson.Document;
import org.bson.types.Binary;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Crypto-shredding for personal data: every lead has its own AES-256 key, personal values are stored sealed with
 * it (AES-GCM, the lead id as associated data so a sealed value cannot be moved to another lead), and erasure
 * destroys the key. The sealed values stay in events, snapshots and backups of them, unreadable.
 *
 * <p>A sealed value is a string {@code sealed:v1:<lead id, base64url>:<nonce and ciphertext, base64url>}: it names
 * its lead, so reading it needs no context, and events are read (replays, backtests) without touching a key. Keys
 * are looked up only when a value is shown.
 *
 * <p>Keys live in the {@value #COLLECTION} collection; an erased lead keeps a tombstone there (no key, the erasure
 * time), so nothing personal about it can be sealed again.
 */
public final class PersonalDataVault implements PersonalDataReader {

    /** What an erased value reads as, everywhere it is shown. */
    public static final String ERASED = "[erased]";
    static final String COLLECTION = "lead_keys";
    private static final String PREFIX = "sealed:v1:";
    /** Sealed values inside a longer text (explanation lines quote adjustment reasons). */
    private static final Pattern SEALED = Pattern.compile("sealed:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final MongoCollection<Document> keys;
    private final DurabilityBarrier durability;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Keys by lead; an empty value marks an erased lead. */
    private final Cache<String, Optional<byte[]>> cache;

    public PersonalDataVault(MongoDatabase database, DurabilityBarrier durability, Clock clock, int cachedKeys) {
        this.keys = database.getCollection(COLLECTION);
        this.durability = durability;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(cachedKeys).build();
    }

    /** The vault of the store behind {@code connection}, with keys made durable as its appends are. */
    public static PersonalDataVault on(io.leadscore.server.storage.MongoConnection connection, int cachedKeys) {
        return new PersonalDataVault(connection.database(), connection.durability(), Clock.systemUTC(), cachedKeys);
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
        if (plaintext == null || plaintext.isEmpty() || isSealed(plaintext) || ERASED.equals(plaintext)) {
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

    /** The plain text of a value: itself when not sealed, {@value #ERASED} when its lead's key was destroyed. */
    @Override
    public String reveal(String value) {
        if (!isSealed(value)) {
            return value;
        }
        String[] parts = value.substring(PREFIX.length()).split(":", 2);
        if (parts.length != 2) {
            return ERASED;
        }
        String leadId = new String(DECODER.decode(parts[0]), StandardCharsets.UTF_8);
        Optional<byte[]> key = keyFor(leadId, false);
        if (key.isEmpty()) {
            return ERASED;
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
        java.util.List<Document> documents = new java.util.ArrayList<>(leadIds.stream().map(this::newKey).toList());
        if (documents.isEmpty()) {
            return;
        }
        try {
            keys.insertMany(documents, new com.mongodb.client.model.InsertManyOptions().ordered(false));
        } catch (com.mongodb.MongoBulkWriteException e) {
            for (com.mongodb.bulk.BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // Someone else's key stands; it is looked up when first needed.
                documents.set(error.getIndex(), null);
            }
        }
        documents.stream().filter(java.util.Objects::nonNull).forEach(this::remember);
    }

    /**
     * Destroys the lead's key, leaving a tombstone, and returns once that is durable. Idempotent.
     *
     * @return whether a key existed before the call
     */
    public boolean erase(String leadId) {
        Document tombstone = new Document("_id", leadId).append("erasedAt", Date.from(clock.instant()));
        Document before = keys.findOneAndReplace(Filters.eq("_id", leadId), tombstone,
                                                 new FindOneAndReplaceOptions().upsert(true));
        cache.put(leadId, Optional.empty());
        durability.awaitDurable();
        return before != null && before.get("key") != null;
    }

    private Optional<byte[]> keyFor(String leadId, boolean create) {
        Optional<byte[]> cached = cache.getIfPresent(leadId);
        if (cached != null) {
            return cached;
        }
        Document stored = keys.find(Filters.eq("_id", leadId)).first();
        if (stored == null && create) {
            stored = createKey(leadId);
        }
        if (stored == null) {
            // No key yet and none wanted: nothing was ever sealed for this lead. Not cached, a seal may follow.
            return Optional.empty();
        }
        return remember(stored);
    }

    /** Caches a stored key document: its key, or empty for an erased lead's tombstone. */
    private Optional<byte[]> remember(Document stored) {
        Binary key = stored.get("key", Binary.class);
        Optional<byte[]> found = key == null ? Optional.empty() : Optional.of(key.getData());
        cache.put(stored.getString("_id"), found);
        return found;
    }

    /**
     * Inserts a fresh key; when a concurrent seal inserted one first, that one wins. The key is durable no later
     * than the event that uses it: on the embedded store the event's group commit covers it, on MongoDB both
     * writes use the connection's write concern.
     */
    private Document createKey(String leadId) {
        Document document = newKey(leadId);
        try {
            keys.insertOne(document);
            return document;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return keys.find(Filters.eq("_id", leadId)).first();
        }
    }

    /** A fresh random AES-256 key for the lead, as stored. */
    private Document newKey(String leadId) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new Document("_id", leadId).append("key", new Binary(key)).append("createdAt", Date.from(clock.instant()));
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
