package io.leadscore.server.storage;

import com.mongodb.event.ClusterDescriptionChangedEvent;
import com.mongodb.event.ClusterListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Whether the store can take writes right now, as the MongoDB driver's own server monitoring sees it: a lost
 * connection or a replica set without a primary turns it off at once, the monitor's next successful heartbeat
 * turns it on again. Calls that need the store are refused while it is off instead of each waiting out the
 * driver's server-selection timeout, and health reports NOT_SERVING.
 */
public final class StoreAvailability implements ClusterListener {

    private volatile boolean writable;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void clusterDescriptionChanged(ClusterDescriptionChangedEvent event) {
        boolean now = event.getNewDescription().hasWritableServer();
        if (now != writable) {
            writable = now;
            listeners.forEach(listener -> listener.accept(now));
        }
    }

    /** True while a server that takes writes is connected. */
    public boolean isWritable() {
        return writable;
    }

    /** Calls {@code listener} with every change, from the driver's monitoring thread; keep it short. */
    public void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }
}
