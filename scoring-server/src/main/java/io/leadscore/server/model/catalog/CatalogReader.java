package io.leadscore.server.model.catalog;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/** Reads the catalog's current state from its own events (exact-key reads): for listing and at start-up. */
public final class CatalogReader {

    private final EventStorageEngine events;

    public CatalogReader(EventStorageEngine events) {
        this.events = events;
    }

    public CatalogState read() {
        CatalogState state = new CatalogState();
        DomainEventStream stream = events.readEvents(ModelCatalog.ID, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            state.apply(event.getPayload());
        }
        return state;
    }
}
