package io.leadscore.server.storage.h2;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Opens the embedded server's maps with compact types: documents as BSON, index keys in MongoDB's value order.
 * MVStore hands an already open map to every later {@code openMap(name)}, so mongo-java-server's own code, which
 * opens maps by name with default types, gets these once they are open.
 */
final class TypedMaps {

    /** mongo-java-server's names: {@code databases.DB.COLL} for documents, {@code DB.COLL._index_NAME} for indexes. */
    static final String DOCUMENTS_PREFIX = "databases.";
    static final String INDEX_INFIX = "._index_";

    private TypedMaps() {
    }

    static MVMap<Object, Document> documents(MVStore store, String mapName) {
        return store.openMap(mapName, new MVMap.Builder<Object, Document>().valueType(BsonDocumentType.INSTANCE));
    }

    static MVMap<KeyValue, Object> index(MVStore store, String mapName) {
        return store.openMap(mapName, new MVMap.Builder<KeyValue, Object>().keyType(IndexKeyType.INSTANCE));
    }

    static boolean isDocuments(String mapName) {
        return mapName.startsWith(DOCUMENTS_PREFIX);
    }

    static boolean isIndex(String mapName) {
        return mapName.contains(INDEX_INFIX);
    }

    /**
     * Opens every existing documents and index map of {@code database} with its type, and the two system
     * collections mongo-java-server creates when it first opens a database.
     */
    static void openDatabase(MVStore store, String database) {
        documents(store, DOCUMENTS_PREFIX + database + ".system.namespaces");
        documents(store, DOCUMENTS_PREFIX + database + ".system.indexes");
        for (String name : store.getMapNames()) {
            if (name.startsWith(DOCUMENTS_PREFIX + database + ".")) {
                documents(store, name);
            } else if (name.startsWith(database + ".") && isIndex(name)) {
                index(store, name);
            }
        }
    }
}
