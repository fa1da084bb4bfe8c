package io.leadscore.server.storage.h2;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * mongo-java-server's H2 backend with compact value types ({@link TypedMaps}); the backend's own logic (queries,
 * indexes, cursors) is unchanged. Open stores through {@link StoreFormat#open} so that older files are converted.
 *
 * <p>Every command that may change the store runs through a {@link WriteGate}, so that a commit never stores half
 * of it. Reads, long scans included, do not wait for commits nor hold them up.
 */
public final class CompactH2Backend extends H2Backend {

    /** Commands that change nothing stored (lower case); every other command passes the write gate. */
    private static final Set<String> READS = Set.of(
            "find", "getmore", "count", "distinct", "killcursors", "listcollections", "listindexes",
            "listdatabases", "hello", "ismaster", "ping", "buildinfo", "endsessions", "serverstatus", "dbstats",
            "collstats", "getlasterror", "whatsmyuri", "getparameter", "connectionstatus", "hostinfo",
            "getcmdlineopts", "getfreemonitoringstatus", "currentop");

    private final WriteGate gate;

    public CompactH2Backend(MVStore store, WriteGate gate) {
        super(store);
        this.gate = gate;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (READS.contains(command.toLowerCase(Locale.ROOT))) {
            return super.handleCommand(channel, databaseName, command, query);
        }
        return gate.write(() -> super.handleCommand(channel, databaseName, command, query));
    }

    /** Closing stores the maps: not in the middle of a write either. */
    @Override
    public void close() {
        gate.exclusively(super::close);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        // Called from H2Backend's constructor too: only what is passed in may be used here.
        TypedMaps.openDatabase(getMvStore(), databaseName);
        return new CompactDatabase(databaseName, getMvStore(), getCursorRegistry());
    }

    /** Opens maps created after start-up (new collections and indexes) with their types before H2Database does. */
    private static final class CompactDatabase extends H2Database {

        /** Null while H2Database's constructor opens the existing maps, which openDatabase opened already. */
        private final MVStore store;

        CompactDatabase(String databaseName, MVStore store, CursorRegistry cursors) {
            super(databaseName, store, cursors);
            this.store = store;
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            if (store != null) {
                TypedMaps.documents(store, TypedMaps.DOCUMENTS_PREFIX + getFullCollectionNamespace(collectionName));
            }
            return super.openOrCreateCollection(collectionName, options);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            if (store != null) {
                TypedMaps.index(store, getFullCollectionNamespace(collectionName) + TypedMaps.INDEX_INFIX + indexName);
            }
            return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
        }
    }
}
