package io.leadscore.server;

import io.leadscore.server.axon.AxonApplication;
import io.leadscore.server.axon.CaffeineAggregateCache;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.model.catalog.LeadRescoring;
import io.leadscore.server.readside.LeadScoreProjection;
import io.leadscore.server.readside.LeadScoreStore;

import java.util.Map;

/** How a publish rescores every lead: cached aggregates are dropped and the score projection is rebuilt. */
record PublishRescoring(AxonApplication axon, LeadScoreProjection projection, LeadScoreStore scores,
                        CaffeineAggregateCache leadCache, MongoIndexedEventStorageEngine engine)
        implements LeadRescoring {

    @Override
    public Map<String, LeadSnapshot> rows() {
        return scores.all();
    }

    @Override
    public void rescoreAll() {
        leadCache.removeAll();
        axon.rebuildProjection();
    }

    @Override
    public long appliedEvents() {
        return projection.appliedEvents();
    }

    @Override
    public long headPosition() {
        return engine.headPosition();
    }

    @Override
    public boolean caughtUp() {
        return axon.projectionCaughtUp();
    }
}
