package io.leadscore.server.storage;

/**
 * A consistent view of the store held for a long read (see {@link MongoConnection#holdSnapshotForLongRead}),
 * released by {@link #close()}, which throws nothing checked: readers use it in try-with-resources without a
 * catch for a failure that cannot happen.
 */
@FunctionalInterface
public interface LongReadHold extends AutoCloseable {

    @Override
    void close();
}
