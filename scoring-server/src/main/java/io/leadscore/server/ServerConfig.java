package io.leadscore.server;

import io.leadscore.server.grpc.security.ServerSecurity;

import java.nio.file.Path;

/**
 * Everything the server is configured with; each field is a flag with a {@code LEADSCORE_*} environment equivalent
 * (see {@link ServerMain}), and each default is one {@code DEFAULT_*} constant here.
 *
 * @param grpcPort            gRPC port (0 picks a free port)
 * @param metricsPort         Prometheus {@code /metrics} port (0 picks a free port, -1 disables)
 * @param bindAddress         address both ports bind to
 * @param dataDir             directory of the embedded store
 * @param mongoUri            a real MongoDB to use instead of the embedded store, or null
 * @param cachedLeads         leads kept in the aggregate and projection caches
 * @param rebuildProjections  drop the projections and replay all events into them at start
 * @param slaSweepInterval    how often unanswered MQLs are checked against the model's SLA
 * @param security            TLS, mutual TLS and the callers file (default none: open, loopback only)
 * @param maxInFlight         unary and client-streaming calls worked on at once; more are refused with
 *                            RESOURCE_EXHAUSTED
 * @param maxStreamRate       engagements per second one StreamEngagements call may send; faster senders are slowed
 *                            by flow control, not refused
 * @param maxInFlightPerCaller of {@code maxInFlight}, the calls one caller (an authenticated caller, or one connection
 *                            on an open server) may have worked on at once (0: half of {@code maxInFlight}), so
 *                            that no caller can take every place
 * @param idleTimeout         how long a call may keep the server waiting for its next message before it is closed
 *                            with DEADLINE_EXCEEDED
 * @param maxProjectionLag    how far the score projection may fall behind the store (the age of the oldest stored
 *                            event it has not applied) before health says NOT_SERVING, so that a balancer sends
 *                            reads elsewhere; SERVING again once it is back within
 */
public record ServerConfig(int grpcPort,
                           int metricsPort,
                           String bindAddress,
                           Path dataDir,
                           String mongoUri,
                           int cachedLeads,
                           boolean rebuildProjections,
                           java.time.Duration slaSweepInterval,
                           ServerSecurity security,
                           int maxInFlight,
                           int maxStreamRate,
                           int maxInFlightPerCaller,
                           java.time.Duration idleTimeout,
                           java.time.Duration maxProjectionLag) {

    // Each default once: ServerMain's flags and the constructors below read these (constant expressions, so that
    // annotation values may be built from them).
    public static final int DEFAULT_GRPC_PORT = 9090;
    public static final int DEFAULT_METRICS_PORT = 9091;
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final String DEFAULT_DATA_DIR = "./data";
    public static final int DEFAULT_CACHED_LEADS = 100000;
    public static final int DEFAULT_SLA_SWEEP_SECONDS = 60;
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    /** 0: half of the in-flight limit (see {@link #effectiveMaxInFlightPerCaller}). */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CALLER = 0;
    public static final int DEFAULT_MAX_STREAM_RATE = 50000;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    public static final java.time.Duration DEFAULT_IDLE_TIMEOUT =
            java.time.Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
    public static final int DEFAULT_MAX_PROJECTION_LAG_SECONDS = 30;
    public static final java.time.Duration DEFAULT_MAX_PROJECTION_LAG =
            java.time.Duration.ofSeconds(DEFAULT_MAX_PROJECTION_LAG_SECONDS);

    public ServerConfig {
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("--idle-timeout-seconds must be positive");
        }
        if (maxProjectionLag == null || maxProjectionLag.isNegative() || maxProjectionLag.isZero()) {
            throw new IllegalArgumentException("--max-projection-lag-seconds must be positive");
        }
        if (maxInFlightPerCaller < 0) {
            throw new IllegalArgumentException("--max-in-flight-per-caller must not be negative, not "
                                               + maxInFlightPerCaller);
        }
    }

    /** The configuration with the default per-caller share and idle timeout. */
    public ServerConfig(int grpcPort, int metricsPort, String bindAddress, Path dataDir, String mongoUri,
                        int cachedLeads, boolean rebuildProjections, java.time.Duration slaSweepInterval,
                        ServerSecurity security, int maxInFlight, int maxStreamRate) {
        this(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads, rebuildProjections, slaSweepInterval,
             security, maxInFlight, maxStreamRate, DEFAULT_MAX_IN_FLIGHT_PER_CALLER, DEFAULT_IDLE_TIMEOUT,
             DEFAULT_MAX_PROJECTION_LAG);
    }

    /** The per-caller share in effect: as configured, or half of {@link #maxInFlight} (at least one). */
    public int effectiveMaxInFlightPerCaller() {
        return maxInFlightPerCaller > 0 ? Math.min(maxInFlightPerCaller, maxInFlight) : Math.max(1, maxInFlight / 2);
    }

    /** Defaults for tests: free ports, no metrics endpoint, embedded store under {@code dataDir}. */
    public static ServerConfig forTests(Path dataDir) {
        return new ServerConfig(0, -1, DEFAULT_BIND_ADDRESS, dataDir, null, 10_000, false,
                                java.time.Duration.ofMillis(100),
                                ServerSecurity.NONE, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_STREAM_RATE);
    }

    public ServerConfig withRebuildProjections(boolean rebuild) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads, rebuild,
                                slaSweepInterval, security, maxInFlight, maxStreamRate,
                                maxInFlightPerCaller, idleTimeout, maxProjectionLag);
    }

    public ServerConfig withMongoUri(String uri) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, uri, cachedLeads, rebuildProjections,
                                slaSweepInterval, security, maxInFlight, maxStreamRate,
                                maxInFlightPerCaller, idleTimeout, maxProjectionLag);
    }

    public ServerConfig withSecurity(ServerSecurity security) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads,
                                rebuildProjections, slaSweepInterval, security, maxInFlight, maxStreamRate,
                                maxInFlightPerCaller, idleTimeout, maxProjectionLag);
    }

    public ServerConfig withBindAddress(String address) {
        return new ServerConfig(grpcPort, metricsPort, address, dataDir, mongoUri, cachedLeads, rebuildProjections,
                                slaSweepInterval, security, maxInFlight, maxStreamRate,
                                maxInFlightPerCaller, idleTimeout, maxProjectionLag);
    }

    public ServerConfig withMaxStreamRate(int perSecond) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads,
                                rebuildProjections, slaSweepInterval, security, maxInFlight, perSecond,
                                maxInFlightPerCaller, idleTimeout, maxProjectionLag);
    }

    public ServerConfig withMaxInFlightPerCaller(int limit) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads,
                                rebuildProjections, slaSweepInterval, security, maxInFlight, maxStreamRate, limit,
                                idleTimeout, maxProjectionLag);
    }

    public ServerConfig withIdleTimeout(java.time.Duration timeout) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads,
                                rebuildProjections, slaSweepInterval, security, maxInFlight, maxStreamRate,
                                maxInFlightPerCaller, timeout, maxProjectionLag);
    }

    public ServerConfig withMaxProjectionLag(java.time.Duration lag) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads,
                                rebuildProjections, slaSweepInterval, security, maxInFlight, maxStreamRate,
                                maxInFlightPerCaller, idleTimeout, lag);
    }

    public ServerConfig withMaxInFlight(int limit) {
        return new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir, mongoUri, cachedLeads,
                                rebuildProjections, slaSweepInterval, security, limit, maxStreamRate,
                                maxInFlightPerCaller, idleTimeout, maxProjectionLag);
    }
}
