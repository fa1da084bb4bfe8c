package io.leadscore.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.leadscore.server.axon.AxonApplication;
import io.leadscore.server.grpc.IdleCallTimeout;
import io.leadscore.server.grpc.LeadCommands;
import io.leadscore.server.grpc.MalformedRequestGuard;
import io.leadscore.server.grpc.LeadGrpcService;
import io.leadscore.server.grpc.RequestValidator;
import io.leadscore.server.grpc.ScoreGrpcService;
import io.leadscore.server.metrics.MetricsEndpoint;
import io.leadscore.server.overload.InFlightLimiter;
import io.leadscore.server.overload.StoreOutageGate;
import io.leadscore.server.security.AccessControl;
import io.leadscore.server.sla.SlaSweeper;
import io.leadscore.server.watch.WatchRunner;
import io.leadscore.server.grpc.ProtoMapper;
import io.leadscore.server.history.AccountScores;
import io.leadscore.server.history.LeadHistory;
import io.leadscore.server.grpc.ModelGrpcService;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.model.RuleBasedModel;
import io.leadscore.server.analytics.FunnelReporter;
import io.leadscore.server.backtest.Backtester;
import io.leadscore.server.grpc.AnalyticsGrpcService;
import io.leadscore.server.logging.SlowCallLogger;
import io.leadscore.server.metrics.BusinessMetrics;
import io.leadscore.server.projection.LeadScoreProjection;
import io.leadscore.server.grpc.BacktestGrpcService;
import io.leadscore.server.model.catalog.ActiveScoringModel;
import io.leadscore.server.replay.HistoryReplay;
import io.leadscore.server.model.catalog.CatalogReader;
import io.leadscore.server.model.catalog.CatalogState;
import io.leadscore.server.model.catalog.ModelPublisher;
import io.leadscore.server.model.catalog.SnapshotGuard;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.server.storage.MongoConnection;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ScoreServiceGrpc;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires storage, Axon, the gRPC services, health and metrics together. Takes a {@link ServerBuilder} so that tests
 * run the real services on the in-process transport and production on Netty.
 */
public final class LeadscoreServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeadscoreServer.class);
    /** Unary calls slower than this are logged, with their request id. */
    private static final java.time.Duration SLOW_CALL = java.time.Duration.ofSeconds(1);
    /** The retry delay a refused call is told when the server is at its in-flight limit. */
    private static final java.time.Duration RETRY_AFTER_WHEN_BUSY = java.time.Duration.ofMillis(100);
    /** Requests larger than this are refused with RESOURCE_EXHAUSTED before they are parsed. */
    public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
    /** Reads answered from the in-memory score projection: they keep answering while the store is down. */
    private static final java.util.Set<String> SERVED_FROM_MEMORY = java.util.Set.of(
            ScoreServiceGrpc.getGetScoreMethod().getFullMethodName(),
            ScoreServiceGrpc.getBatchGetScoresMethod().getFullMethodName(),
            ScoreServiceGrpc.getListLeadsMethod().getFullMethodName());
    private static final List<String> SERVICES = List.of(
            "", LeadServiceGrpc.SERVICE_NAME, ScoreServiceGrpc.SERVICE_NAME, ModelServiceGrpc.SERVICE_NAME,
            io.leadscore.v1.BacktestServiceGrpc.SERVICE_NAME, io.leadscore.v1.AnalyticsServiceGrpc.SERVICE_NAME);

    private final MongoConnection connection;
    private final AxonApplication axon;
    private final Server server;
    private final MetricsEndpoint metrics;
    private final HealthStatusManager health;
    private ExecutorService analyticsExecutor;
    private ScheduledExecutorService streamPacing;
    private ScheduledExecutorService idleCalls;
    private final ScheduledExecutorService metricsScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "leadscore-metrics");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService healthWatcher;
    private final PrometheusMeterRegistry registry;
    private SlaSweeper slaSweeper;
    private WatchRunner watches;
    /** Whether the score projection has caught up once (from then on, health follows the store). */
    private boolean caughtUp;
    /** Whether the start-up sweep of overdue SLAs has run (it runs once caught up, before SERVING). */
    private boolean firstSweepDone;
    private volatile boolean closing;
    /** When start-up began: the SERVING line reports the catch-up (or rebuild) rate from here. */
    private final long startedNanos;

    private LeadscoreServer(MongoConnection connection, AxonApplication axon, Server server, MetricsEndpoint metrics,
                            HealthStatusManager health, ScheduledExecutorService healthWatcher,
                            PrometheusMeterRegistry registry, long startedNanos) {
        this.startedNanos = startedNanos;
        this.connection = connection;
        this.axon = axon;
        this.server = server;
        this.metrics = metrics;
        this.health = health;
        this.healthWatcher = healthWatcher;
        this.registry = registry;
    }

    /** Starts everything; health turns SERVING once the score projection has caught up with the store. */
    public static LeadscoreServer start(ServerConfig config, ServerBuilder<?> serverBuilder, Clock clock) {
        return start(config, serverBuilder, clock, PortReservation.none());
    }

    /**
     * Starts everything, holding the listening ports in {@code ports} until the servers bind them (see
     * {@link PortReservation}).
     */
    public static LeadscoreServer start(ServerConfig config, ServerBuilder<?> serverBuilder, Clock clock,
                                        PortReservation ports) {
        long startedNanos = System.nanoTime();
        // Decided before the store opens: a server that may not run as configured must not touch the data.
        Optional<AccessControl> access = config.security().accessControl(config.bindAddress());
        InFlightLimiter limiter = new InFlightLimiter(config.maxInFlight(), config.effectiveMaxInFlightPerCaller(),
                                                      RETRY_AFTER_WHEN_BUSY);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Request latency as a histogram, so that Prometheus can compute p99 per method across instances.
        registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.distribution.DistributionStatisticConfig configure(
                    io.micrometer.core.instrument.Meter.Id id,
                    io.micrometer.core.instrument.distribution.DistributionStatisticConfig config) {
                return id.getName().equals("grpc.server.processing.duration")
                        ? io.micrometer.core.instrument.distribution.DistributionStatisticConfig.builder()
                                .percentilesHistogram(true).build().merge(config)
                        : config;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        MongoConnection connection = config.mongoUri() == null
                ? MongoConnection.embedded(config.dataDir())
                : MongoConnection.external(config.mongoUri());
        ActiveScoringModel model = new ActiveScoringModel(BuiltInModels.defaultModel());
        AxonApplication axon = AxonApplication.start(connection, model, registry, config.cachedLeads(), engine -> {
            CatalogState catalog = new CatalogReader(engine).read();
            model.switchTo(new RuleBasedModel(catalog.definition(catalog.active())));
            new SnapshotGuard(connection.database(), engine).ensureFoldedUnder(catalog.active());
        }, config.rebuildProjections());
        CatalogReader catalog = new CatalogReader(axon.engine());
        ExecutorService publishExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "leadscore-model-publish");
            thread.setDaemon(true);
            return thread;
        });
        RequestValidator validator = new RequestValidator(clock);
        HealthStatusManager health = new HealthStatusManager();
        SERVICES.forEach(service -> health.setStatus(service, ServingStatus.NOT_SERVING));
        MetricCollectingServerInterceptor grpcMetrics = new MetricCollectingServerInterceptor(registry);
        LeadHistory history = new LeadHistory(axon.engine(), model, config.cachedLeads(), axon.scoreProjection());
        WatchRunner watches = new WatchRunner(axon.eventStore(), axon.scores(), history, ProtoMapper::toProto);
        ExecutorService analyticsExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "leadscore-analytics");
            thread.setDaemon(true);
            return thread;
        });
        HistoryReplay replay = new HistoryReplay(axon.engine(), connection);
        // One thread for every paced stream: it only asks a stream for its next message when that is due.
        ScheduledExecutorService streamPacing = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "leadscore-stream-pacing");
            thread.setDaemon(true);
            return thread;
        });
        BusinessMetrics business = new BusinessMetrics(registry);
        List<BindableService> services = List.of(
                new LeadGrpcService(new LeadCommands(axon.commandGateway(), business, axon.personalData()), validator,
                                    clock, config.maxStreamRate(), streamPacing),
                new ScoreGrpcService(axon.scores(), history, model, validator, clock)
                        .withWatches(watches)
                        .withPersonalData(axon.personalData())
                        .withAccounts(new AccountScores(axon.scores(), history, model, clock)),
                new ModelGrpcService(axon.commandGateway(), catalog,
                                     new ModelPublisher(axon, model, catalog,
                                                        new SnapshotGuard(connection.database(), axon.engine()), clock), publishExecutor, clock),
                new BacktestGrpcService(new Backtester(replay), catalog, model::current, analyticsExecutor,
                                        clock, business),
                new AnalyticsGrpcService(axon.commandGateway(), new FunnelReporter(replay), model::current, validator,
                                         analyticsExecutor, clock));
        SlowCallLogger slowCalls = new SlowCallLogger(SLOW_CALL);
        ScheduledExecutorService idleCalls = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "leadscore-idle-calls");
            thread.setDaemon(true);
            return thread;
        });
        // The last interceptor runs first: request ids and metrics see every call, refused ones included; access
        // is checked before a call takes one of the limited in-flight places, and the idle timeout watches every
        // call that was let in. Requests are parsed between the two lists, under the malformed-request guard: the
        // inner interceptors see parsed messages, and a malformed request never takes an in-flight place.
        List<ServerInterceptor> onMessages =
                List.of(new StoreOutageGate(connection.availability(), SERVED_FROM_MEMORY), limiter);
        List<ServerInterceptor> onCalls = new java.util.ArrayList<>();
        onCalls.add(new IdleCallTimeout(config.idleTimeout(), idleCalls));
        access.ifPresent(onCalls::add);
        onCalls.add(grpcMetrics);
        onCalls.add(slowCalls);
        services.forEach(service -> serverBuilder.addService(MalformedRequestGuard.guard(
                ServerInterceptors.intercept(service, onMessages), onCalls)));
        // The largest legitimate message is a model document (256 Ki characters); bigger ones are refused by the
        // transport before they are parsed.
        serverBuilder.maxInboundMessageSize(MAX_MESSAGE_BYTES);
        // Health stays open so that probes and load balancers need no credentials; reflection needs a caller.
        serverBuilder.addService(health.getHealthService());
        BindableService reflection = ProtoReflectionServiceV1.newInstance();
        serverBuilder.addService(access.isPresent() ? ServerInterceptors.intercept(reflection, access.get())
                                                    : reflection.bindService());
        io.micrometer.core.instrument.Gauge.builder("leadscore.grpc.in.flight", limiter, InFlightLimiter::inFlight)
                .description("Unary and client-streaming calls being worked on; beyond --max-in-flight they are "
                             + "refused with RESOURCE_EXHAUSTED")
                .register(registry);
        Server server;
        try {
            ports.close();
            server = serverBuilder.build().start();
        } catch (IOException e) {
            idleCalls.shutdownNow();
            axon.close();
            connection.close();
            throw new UncheckedIOException("cannot start the gRPC server", e);
        }
        MetricsEndpoint metrics = config.metricsPort() < 0 ? null
                : MetricsEndpoint.start(config.bindAddress(), config.metricsPort(), registry);

        ScheduledExecutorService healthWatcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "leadscore-health");
            thread.setDaemon(true);
            return thread;
        });
        LeadscoreServer leadscore =
                new LeadscoreServer(connection, axon, server, metrics, health, healthWatcher, registry,
                                    startedNanos);
        leadscore.watches = watches;
        leadscore.analyticsExecutor = analyticsExecutor;
        leadscore.streamPacing = streamPacing;
        leadscore.idleCalls = idleCalls;
        business.publishScoreBands(axon.scores(), leadscore.metricsScheduler, java.time.Duration.ofSeconds(10));
        business.publishProcessorLag(LeadScoreProjection.PROCESSING_GROUP,
                                     () -> axon.scoreProcessor().processingStatus(), axon.engine()::headPosition,
                                     leadscore.metricsScheduler, java.time.Duration.ofSeconds(5));
        // The first sweep runs once the projection has caught up (over stale rows it would ask every MQL whose
        // breach is already stored, each a cold aggregate load), and before SERVING (see markServingWhenCaughtUp).
        leadscore.slaSweeper = new SlaSweeper(axon.scores(), axon.commandGateway(), model, clock, business,
                                              config.slaSweepInterval());
        healthWatcher.scheduleWithFixedDelay(leadscore::markServingWhenCaughtUp, 0, 100, TimeUnit.MILLISECONDS);
        connection.availability().onChange(writable -> leadscore.storeAvailabilityChanged(writable));
        log.info("Leadscore listening on gRPC {}:{}{}; store: {}; access: {}",
                 config.bindAddress(), server.getPort(),
                 metrics == null ? "" : ", metrics http://" + config.bindAddress() + ":" + metrics.port() + "/metrics",
                 connection.description(), config.security().describe(access));
        return leadscore;
    }

    /**
     * Health follows the store once the projection has caught up: NOT_SERVING while it takes no writes, SERVING
     * again when it does. Before catching up, {@link #markServingWhenCaughtUp} decides.
     */
    private synchronized void storeAvailabilityChanged(boolean writable) {
        if (caughtUp && !closing) {
            log.warn(writable ? "store available again: SERVING" : "store unavailable: NOT_SERVING until it is back");
            ServingStatus status = writable ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            SERVICES.forEach(service -> health.setStatus(service, status));
        }
    }

    private synchronized void markServingWhenCaughtUp() {
        try {
            if (!closing && axon.projectionCaughtUp() && connection.availability().isWritable()) {
                if (!firstSweepDone) {
                    // Breaches overdue while the server was down are recorded, and projected by a later check,
                    // before it serves: no score is read without them, and no sweep writes under the first reads.
                    slaSweeper.sweepSafely();
                    firstSweepDone = true;
                    return;
                }
                caughtUp = true;
                slaSweeper.start();
                SERVICES.forEach(service -> health.setStatus(service, ServingStatus.SERVING));
                double seconds = (System.nanoTime() - startedNanos) / 1e9;
                long events = axon.scoreProjection().appliedEvents();
                log.info("SERVING: score projection caught up, {} events applied in {} s ({} events/s)",
                         events, String.format(java.util.Locale.ROOT, "%.1f", seconds),
                         String.format(java.util.Locale.ROOT, "%.0f", events / Math.max(seconds, 0.001)));
                healthWatcher.shutdown();
            }
        } catch (RuntimeException e) {
            if (!healthWatcher.isShutdown()) {
                log.warn("health check of the score projection failed: {}", e.toString());
            }
        }
    }

    public int grpcPort() {
        return server.getPort();
    }

    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    public AxonApplication axon() {
        return axon;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Blocks until the gRPC server terminates. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Graceful stop: health goes NOT_SERVING, new calls are refused, in-flight calls get up to 10 s to finish, then
     * the projection stops, and the store is committed and closed.
     */
    @Override
    public void close() {
        closing = true;
        health.enterTerminalState();
        healthWatcher.shutdownNow();
        slaSweeper.close();
        watches.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        if (metrics != null) {
            metrics.close();
        }
        // Backtests and reports still running after the grace period lose their store next: stop them first.
        analyticsExecutor.shutdownNow();
        metricsScheduler.shutdownNow();
        streamPacing.shutdownNow();
        idleCalls.shutdownNow();
        axon.close();
        connection.close();
        log.info("Leadscore stopped");
    }
}
