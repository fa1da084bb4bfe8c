package io.leadscore.server;

import java.nio.file.Path;

/**
 * Everything the server is configured with; each field is a flag with a {@code LEADSCORE_*} environment equivalent
 * (see {@link ServerMain}).
 *
 * @param grpcPort            gRPC port (default 9090; 0 picks a free port)
 * @param metricsPort         Prometheus {@code /metrics} port (default 9091; 0 picks a free port, -1 disables)
 * @param bindAddress         address both ports bind to (default 127.0.0.1)
 * @param dataDir             directory of the embedded store (default {@code ./data})
 * @param mongoUri            a real MongoDB to use instead of the embedded store, or null
 * @param cachedLeads         leads kept in the aggregate and projection caches (default 100000)
 * @param rebuildProjections  drop the projections and replay all events into them at start
 * @param slaSweepInterval    how often unanswered MQLs are checked against the model's SLA (default 60 s)
 */
public record ServerConfig(int grpcPort,
                           int metricsPort,
                           String bindAddress,
                           Path dataDir,
                           String mongoUri,
                           int cachedLeads,
                           boolean rebuildProjections,
                           java.time.Duration slaSweepInterval) {

    /** Defaults for tests: free ports, no metrics endpoint, embedded store under {@code dataDir}. */
    public static ServerConfig forTests(Path dataDir) {
        return new ServerConfig(0, -1, "127.0.0.1", dataDir, null, 10_000, false, java.time.Duration.ofMillis(100));
    }

    public ServerConfig withRebuildProjections(boolean rebuild) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads, rebuild,
                                slaSweepInterval);
    }
}
