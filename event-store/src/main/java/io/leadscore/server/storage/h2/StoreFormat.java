package io.leadscore.server.storage.h2;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The layout of an embedded store file. Format 1 (the H2 backend's defaults: Java-serialized documents and index
 * keys) is converted to format 2 ({@link TypedMaps}) on first open, map by map, so that no stored event is left
 * behind by an upgrade.
 */
public final class StoreFormat {

    private static final Logger log = LoggerFactory.getLogger(StoreFormat.class);
    private static final String FORMAT_MAP = "leadscore.format";
    private static final String VERSION = "version";
    static final int CURRENT = 2;
    private static final String CONVERTING = "converting.";

    private StoreFormat() {
    }

    /**
     * Makes {@code store} current (converting a format-1 file) and returns the backend to serve it, its write
     * commands passing {@code gate}.
     */
    public static CompactH2Backend open(MVStore store, WriteGate gate) {
        MVMap<String, Integer> format = store.openMap(FORMAT_MAP);
        Integer version = format.get(VERSION);
        if (version == null) {
            convertFromJavaSerialization(store);
            format.put(VERSION, CURRENT);
            store.commit();
        } else if (version != CURRENT) {
            throw new IllegalStateException("the store is in format " + version + "; this server reads format "
                                            + CURRENT + ": use the Leadscore version that wrote it");
        }
        return new CompactH2Backend(store, gate);
    }

    /** A collection's documents map, by its full map name, with the type this format stores documents in. */
    public static MVMap<Object, de.bwaldvogel.mongo.bson.Document> documents(MVStore store, String mapName) {
        return TypedMaps.documents(store, mapName);
    }

    private static void convertFromJavaSerialization(MVStore store) {
        for (String name : store.getMapNames()) {
            // A map converted just before a crash whose original was already gone: it is complete.
            if (name.startsWith(CONVERTING) && !store.hasMap(name.substring(CONVERTING.length()))) {
                store.renameMap(open(store, name.substring(CONVERTING.length()), name),
                                name.substring(CONVERTING.length()));
            }
        }
        List<String> names = store.getMapNames().stream()
                                  .filter(name -> !name.startsWith(CONVERTING))
                                  .filter(name -> TypedMaps.isDocuments(name) || TypedMaps.isIndex(name)).toList();
        for (String name : names) {
            MVMap<Object, Object> old = store.openMap(name);
            String converted = CONVERTING + name;
            if (store.hasMap(converted)) {
                store.removeMap(converted); // left by a conversion that crashed: start that map again
            }
            copy(old, open(store, name, converted));
            long entries = old.sizeAsLong();
            store.removeMap(old);
            store.renameMap(open(store, name, converted), name);
            store.commit();
            log.info("store converted to format {}: {} ({} entries)", CURRENT, name, entries);
        }
    }

    /** Opens {@code mapName} with the type that the map {@code originalName} needs. */
    private static MVMap<?, ?> open(MVStore store, String originalName, String mapName) {
        return TypedMaps.isDocuments(originalName) ? TypedMaps.documents(store, mapName)
                                                   : TypedMaps.index(store, mapName);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void copy(MVMap<Object, Object> from, MVMap to) {
        for (Map.Entry<Object, Object> entry : from.entrySet()) {
            to.put(entry.getKey(), entry.getValue());
        }
    }
}
