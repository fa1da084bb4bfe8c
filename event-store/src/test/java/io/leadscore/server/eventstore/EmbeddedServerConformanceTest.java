package io.leadscore.server.eventstore;

import io.leadscore.server.storage.EmbeddedMongoExtension;
import io.leadscore.server.storage.MongoConnection;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Axon's conformance suite on the embedded, H2-backed MongoDB-wire server: always runs. */
class EmbeddedServerConformanceTest extends EventStorageEngineConformance {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();

    @Override
    protected MongoConnection connection() {
        return MONGO.connection();
    }
}
