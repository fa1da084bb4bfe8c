package io.leadscore.server;

import io.leadscore.server.logging.LogFormat;
import io.leadscore.server.grpc.security.ServerSecurity;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code java -jar scoring-server.jar}: parses flags (or {@code LEADSCORE_*} variables) and runs the server. */
@Command(name = "scoring-server", mixinStandardHelpOptions = true,
        description = "Leadscore scoring server: gRPC lead scoring on an event-sourced MongoDB store.")
public final class ServerMain implements Callable<Integer> {

    @Option(names = "--grpc-port", defaultValue = "${env:LEADSCORE_GRPC_PORT:-" + ServerConfig.DEFAULT_GRPC_PORT + "}",
            description = "gRPC port (env LEADSCORE_GRPC_PORT, default ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--metrics-port", defaultValue = "${env:LEADSCORE_METRICS_PORT:-" + ServerConfig.DEFAULT_METRICS_PORT + "}",
            description = "Prometheus /metrics port, -1 to disable (env LEADSCORE_METRICS_PORT, default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--bind-address", defaultValue = "${env:LEADSCORE_BIND_ADDRESS:-" + ServerConfig.DEFAULT_BIND_ADDRESS + "}",
            description = "Address to listen on (env LEADSCORE_BIND_ADDRESS, default ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--data-dir", defaultValue = "${env:LEADSCORE_DATA_DIR:-" + ServerConfig.DEFAULT_DATA_DIR + "}",
            description = "Directory of the embedded store (env LEADSCORE_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--mongo-uri", defaultValue = "${env:LEADSCORE_MONGO_URI}",
            description = "Use this MongoDB (a replica set in production) instead of the embedded store "
                          + "(env LEADSCORE_MONGO_URI).")
    String mongoUri;

    @Option(names = "--cached-leads", defaultValue = "${env:LEADSCORE_CACHED_LEADS:-" + ServerConfig.DEFAULT_CACHED_LEADS + "}",
            description = "Leads kept in the aggregate and projection caches (env LEADSCORE_CACHED_LEADS, "
                          + "default ${DEFAULT-VALUE}).")
    int cachedLeads;

    @Option(names = "--sla-sweep-seconds", defaultValue = "${env:LEADSCORE_SLA_SWEEP_SECONDS:-" + ServerConfig.DEFAULT_SLA_SWEEP_SECONDS + "}",
            description = "How often unanswered MQLs are checked against the model's SLA "
                          + "(env LEADSCORE_SLA_SWEEP_SECONDS, default ${DEFAULT-VALUE}).")
    int slaSweepSeconds;

    @Option(names = "--max-projection-lag-seconds",
            defaultValue = "${env:LEADSCORE_MAX_PROJECTION_LAG_SECONDS:-" + ServerConfig.DEFAULT_MAX_PROJECTION_LAG_SECONDS + "}",
            description = "How far behind the store the score projection may fall (the age of the oldest event it has "
                          + "not applied) before health says NOT_SERVING (env LEADSCORE_MAX_PROJECTION_LAG_SECONDS, "
                          + "default ${DEFAULT-VALUE}).")
    int maxProjectionLagSeconds;

    @Option(names = "--log-format", defaultValue = "${env:LEADSCORE_LOG_FORMAT:-text}",
            description = "text (lines for people) or json (one JSON object per line, for log shippers; "
                          + "env LEADSCORE_LOG_FORMAT, default ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--tls-cert", defaultValue = "${env:LEADSCORE_TLS_CERT}",
            description = "PEM certificate chain: serve gRPC over TLS (env LEADSCORE_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:LEADSCORE_TLS_KEY}",
            description = "PEM private key (PKCS#8) of --tls-cert (env LEADSCORE_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", defaultValue = "${env:LEADSCORE_TLS_CLIENT_CA}",
            description = "PEM CA: client certificates signed by it name callers, mutual TLS; required at the "
                          + "handshake unless the callers file has token callers (env LEADSCORE_TLS_CLIENT_CA).")
    Path tlsClientCa;

    @Option(names = "--callers-file", defaultValue = "${env:LEADSCORE_CALLERS_FILE}",
            description = "YAML file of callers (token hashes or certificate names) and their roles; without it "
                          + "the server runs open and only on loopback (env LEADSCORE_CALLERS_FILE).")
    Path callersFile;

    @Option(names = "--allow-plaintext-tokens",
            defaultValue = "${env:LEADSCORE_ALLOW_PLAINTEXT_TOKENS:-false}",
            description = "Accept bearer tokens over plaintext on an address beyond loopback, for a server behind a "
                          + "proxy or mesh that ends TLS; logged as a warning at start "
                          + "(env LEADSCORE_ALLOW_PLAINTEXT_TOKENS, default ${DEFAULT-VALUE}).")
    boolean allowPlaintextTokens;

    @Option(names = "--max-in-flight", defaultValue = "${env:LEADSCORE_MAX_IN_FLIGHT:-" + ServerConfig.DEFAULT_MAX_IN_FLIGHT + "}",
            description = "Calls worked on at once; more are refused with RESOURCE_EXHAUSTED and a retry delay "
                          + "(env LEADSCORE_MAX_IN_FLIGHT, default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--max-in-flight-per-caller", defaultValue = "${env:LEADSCORE_MAX_IN_FLIGHT_PER_CALLER:-"
                    + ServerConfig.DEFAULT_MAX_IN_FLIGHT_PER_CALLER + "}",
            description = "Of --max-in-flight, the calls one caller (or, on an open server, one connection) may "
                          + "have worked on at once; 0 means half of --max-in-flight "
                          + "(env LEADSCORE_MAX_IN_FLIGHT_PER_CALLER, default ${DEFAULT-VALUE}).")
    int maxInFlightPerCaller;

    @Option(names = "--idle-timeout-seconds", defaultValue = "${env:LEADSCORE_IDLE_TIMEOUT_SECONDS:-"
                    + ServerConfig.DEFAULT_IDLE_TIMEOUT_SECONDS + "}",
            description = "A call that keeps the server waiting this long for its next message is closed with "
                          + "DEADLINE_EXCEEDED (env LEADSCORE_IDLE_TIMEOUT_SECONDS, default ${DEFAULT-VALUE}).")
    int idleTimeoutSeconds;

    @Option(names = "--max-stream-rate", defaultValue = "${env:LEADSCORE_MAX_STREAM_RATE:-" + ServerConfig.DEFAULT_MAX_STREAM_RATE + "}",
            description = "Engagements per second one StreamEngagements call may send; a faster sender is slowed "
                          + "by flow control (env LEADSCORE_MAX_STREAM_RATE, default ${DEFAULT-VALUE}).")
    int maxStreamRate;

    @Option(names = "--rebuild-projections",
            description = "Drop the projections and replay every stored event into them before serving.")
    boolean rebuildProjections;

    @Override
    public Integer call() throws InterruptedException {
        LogFormat format;
        try {
            format = LogFormat.valueOf(logFormat.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                                                     "--log-format must be text or json, not '" + logFormat + "'");
        }
        format.apply();
        ServerSecurity security;
        io.grpc.ServerCredentials credentials;
        try {
            security = security();
            credentials = security.credentials();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            // A missing or unreadable certificate is a mistake in the flags, not a crash: say which.
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        ServerConfig config;
        try {
            config = new ServerConfig(grpcPort, metricsPort, bindAddress, dataDir,
                                      mongoUri == null || mongoUri.isBlank() ? null : mongoUri,
                                      cachedLeads, rebuildProjections, java.time.Duration.ofSeconds(slaSweepSeconds),
                                      security, maxInFlight, maxStreamRate, maxInFlightPerCaller,
                                      java.time.Duration.ofSeconds(idleTimeoutSeconds),
                                      java.time.Duration.ofSeconds(maxProjectionLagSeconds));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        // Handlers never wait for a command (they answer from its future) and reads are served from memory, so a
        // small fixed pool does: grpc-java's default executor starts a thread per concurrent call and cost about
        // five times the CPU per call of the handler itself (bench getscore).
        java.util.concurrent.ExecutorService calls = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), runnable -> {
                    Thread thread = new Thread(runnable, "leadscore-grpc-call");
                    thread.setDaemon(true);
                    return thread;
                });
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, grpcPort),
                                                                   credentials)
                                                       .executor(calls)
                                                       .maxConcurrentCallsPerConnection(
                                                               Tuning.MAX_CALLS_PER_CONNECTION)
                                                       .maxInboundMetadataSize(Tuning.MAX_METADATA_BYTES);
        LeadscoreServer server;
        try (PortReservation ports = PortReservation.hold(bindAddress, grpcPort, metricsPort)) {
            server = LeadscoreServer.start(config, builder, Clock.systemUTC(), ports);
        } catch (IllegalArgumentException e) {
            calls.shutdown();
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            calls.shutdown();
        }, "leadscore-shutdown"));
        server.awaitTermination();
        return 0;
    }

    /** How the flags protect the gRPC port. */
    ServerSecurity security() {
        return new ServerSecurity(tlsCert, tlsKey, tlsClientCa, callersFile, allowPlaintextTokens);
    }

    /**
     * The command line of {@code main}. A refusal to start is one line on stderr: the reason and its fix, not the
     * whole usage text around it (--help prints that).
     */
    static CommandLine commandLine(ServerMain main) {
        CommandLine line = new CommandLine(main);
        return line.setParameterExceptionHandler((refusal, args) -> {
            line.getErr().println(line.getCommandName() + ": " + refusal.getMessage());
            line.getErr().flush();
            return CommandLine.ExitCode.USAGE;
        });
    }

    public static void main(String[] args) {
        System.setProperty("disable-axoniq-console-message", "true");
        System.exit(commandLine(new ServerMain()).execute(args));
    }
}
