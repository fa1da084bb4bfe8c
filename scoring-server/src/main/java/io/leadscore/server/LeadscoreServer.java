package io.leadscore.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.leadscore.server.analytics.FunnelReporter;
import io.leadscore.server.analytics.Spend;
import io.leadscore.server.axon.AxonApplication;
import io.leadscore.server.axon.AxonModules;
import io.leadscore.server.axon.CaffeineAggregateCache;
import io.leadscore.server.axon.Serializers;
import io.leadscore.server.backtest.Backtester;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.grpc.AnalyticsGrpcService;
import io.leadscore.server.grpc.AnalyticsRequests;
import io.leadscore.server.grpc.BacktestGrpcService;
import io.leadscore.server.grpc.BacktestRequests;
import io.leadscore.server.grpc.GrpcEdge;
import io.leadscore.server.grpc.LeadCommands;
import io.leadscore.server.grpc.LeadGrpcService;
import io.leadscore.server.grpc.LeadRequests;
import io.leadscore.server.grpc.ModelGrpcService;
import io.leadscore.server.grpc.ModelRequests;
import io.leadscore.server.grpc.RequestValidator;
import io.leadscore.server.grpc.ScoreGrpcService;
import io.leadscore.server.grpc.ScoreRequests;
import io.leadscore.server.grpc.ServingHealth;
import io.leadscore.server.readside.AccountScores;
import io.leadscore.server.readside.LeadFolds;
import io.leadscore.server.readside.LeadHistory;
import io.leadscore.server.readside.LeadQueue;
import io.leadscore.server.lead.Lead;
import io.leadscore.server.metrics.BusinessMetrics;
import io.leadscore.server.metrics.MetricsEndpoint;
import io.leadscore.server.metrics.PrometheusRegistry;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.model.RuleBasedModel;
import io.leadscore.server.model.catalog.ActiveScoringModel;
import io.leadscore.server.model.catalog.CatalogReader;
import io.leadscore.server.model.catalog.CatalogState;
import io.leadscore.server.model.catalog.ModelCatalog;
import io.leadscore.server.model.catalog.ModelPublisher;
import io.leadscore.server.model.catalog.SnapshotGuard;
import io.leadscore.server.grpc.overload.InFlightLimiter;
import io.leadscore.server.privacy.PersonalDataReader;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.readside.LeadScoreProjection;
import io.leadscore.server.readside.ProjectionProgress;
import io.leadscore.server.readside.LeadScoreStore;
import io.leadscore.server.readside.ProjectionRebuild;
import io.leadscore.server.readside.ScoreRowFormat;
import io.leadscore.server.replay.HistoryReplay;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.server.grpc.security.AccessControl;
import io.leadscore.server.grpc.security.CallerOnCommands;
import io.leadscore.server.sla.SlaSweeper;
import io.leadscore.server.storage.EventStorage;
import io.leadscore.server.storage.HistorySource;
import io.leadscore.server.storage.MongoConnection;
import io.leadscore.server.readside.WatchRunner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every part of the server from its configuration, in dependency order, and stops
 * them in reverse. Takes a {@link ServerBuilder} so that tests run the real services on the in-process transport
 * and production on Netty.
 */
public final class LeadscoreServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeadscoreServer.class);
    /** Requests larger than this are refused with RESOURCE_EXHAUSTED before they are parsed. */
    public static final int MAX_MESSAGE_BYTES = Tuning.MAX_MESSAGE_BYTES;

    /** What tests and tools may reach below the API (the store's head position, say). */
    public record Internals(AxonApplication axon, MongoIndexedEventStorageEngine engine, LeadScoreStore scores,
                            PersonalDataVault personalData) {
    }

    private final Internals internals;
    private final MongoConnection connection;
    private final Server server;
    private final MetricsEndpoint metrics;
    private final Readiness readiness;
    private final SlaSweeper slaSweeper;
    private final WatchRunner watches;
    private final ServerThreads threads;
    private final PrometheusMeterRegistry registry;

    private LeadscoreServer(Internals internals, MongoConnection connection, Server server, MetricsEndpoint metrics,
                            Readiness readiness, SlaSweeper slaSweeper, WatchRunner watches, ServerThreads threads,
                            PrometheusMeterRegistry registry) {
        this.internals = internals;
        this.connection = connection;
        this.server = server;
        this.metrics = metrics;
        this.readiness = readiness;
        this.slaSweeper = slaSweeper;
        this.watches = watches;
        this.threads = threads;
        this.registry = registry;
    }

    /** Starts everything; health turns SERVING once the score projection has caught up with the store. */
    public static LeadscoreServer start(ServerConfig config, ServerBuilder<?> serverBuilder, Clock clock) {
        return start(config, serverBuilder, clock, PortReservation.none());
    }

    /**
     * Starts everything, holding the listening ports in {@code ports} until the servers bind them (see
     * {@link PortReservation}): the store, the Axon application with the read side, the features and the gRPC
     * edge, in that order.
     */
    public static LeadscoreServer start(ServerConfig config, ServerBuilder<?> serverBuilder, Clock clock,
                                        PortReservation ports) {
        long startedNanos = System.nanoTime();
        // Decided before the store opens: a server that may not run as configured must not touch the data.
        Optional<AccessControl> access = config.security().accessControl(config.bindAddress());
        InFlightLimiter limiter = new InFlightLimiter(config.maxInFlight(), config.effectiveMaxInFlightPerCaller(),
                                                      Tuning.RETRY_AFTER_WHEN_BUSY);
        PrometheusMeterRegistry registry = PrometheusRegistry.create();
        ServerThreads threads = new ServerThreads();
        Store store = Store.open(config, registry);
        Core core = Core.start(config, store, registry, threads);
        BusinessMetrics business = new BusinessMetrics(registry);
        Features features = Features.of(config, store, core, business, clock);

        ServingHealth health = new ServingHealth();
        GrpcEdge.install(serverBuilder, services(config, store, core, features, business, threads, clock), health,
                         new GrpcEdge.Guards(access, limiter, store.connection().availability(),
                                             config.idleTimeout(), threads.timer("leadscore-idle-calls"),
                                             Tuning.SLOW_CALL, registry, Tuning.MAX_MESSAGE_BYTES));
        Server server;
        try {
            ports.release(config.grpcPort());
            server = serverBuilder.build().start();
        } catch (IOException e) {
            threads.close();
            core.axon().close();
            store.connection().close();
            throw new UncheckedIOException("cannot start the gRPC server", e);
        }
        ports.release(config.metricsPort());
        MetricsEndpoint metrics = config.metricsPort() < 0 ? null
                : MetricsEndpoint.start(config.bindAddress(), config.metricsPort(), registry);
        var metricsTimer = threads.timer("leadscore-metrics");
        business.publishScoreBands(core.scores(), metricsTimer, Tuning.SCORE_BANDS_EVERY);
        business.publishProcessorLag(LeadScoreProjection.PROCESSING_GROUP, core.axon()::projectionStatus,
                                     store.engine()::headPosition, metricsTimer, Tuning.PROJECTION_LAG_EVERY);
        // The first sweep runs once the projection has caught up (over stale rows it would ask every MQL whose
        // breach is already stored, each a cold aggregate load), and before SERVING.
        Readiness readiness = new Readiness(health, core.axon()::projectionCaughtUp, core.projection()::appliedEvents,
                                            store.connection().availability(), features.slaSweeper(), startedNanos,
                                            config.maxProjectionLag());
        readiness.watch(threads.timer("leadscore-health"), Tuning.CATCH_UP_CHECK_EVERY);
        ProjectionLag lag = new ProjectionLag(core.axon()::projectionStatus, store.engine()::headPosition,
                                              store.engine()::storedAfter, Clock.systemUTC(), // the store's own clock
                                              readiness::projectionLag);
        business.publishProjectionLagSeconds(LeadScoreProjection.PROCESSING_GROUP, lag::seconds);
        metricsTimer.scheduleWithFixedDelay(() -> measureSafely(lag), Tuning.PROJECTION_LAG_EVERY.toMillis(),
                                            Tuning.PROJECTION_LAG_EVERY.toMillis(),
                                            TimeUnit.MILLISECONDS);
        log.info("Leadscore listening on gRPC {}:{}{}; store: {}; access: {}",
                 config.bindAddress(), server.getPort(),
                 metrics == null ? "" : ", metrics http://" + config.bindAddress() + ":" + metrics.port() + "/metrics",
                 store.connection().description(), config.security().describe(access));
        return new LeadscoreServer(new Internals(core.axon(), store.engine(), core.scores(), store.vault()),
                                   store.connection(), server, metrics, readiness, features.slaSweeper(),
                                   features.watches(), threads, registry);
    }

    /** A failed measurement (the store briefly away) keeps the last one; the next one retries. */
    private static void measureSafely(ProjectionLag lag) {
        try {
            lag.measure();
        } catch (RuntimeException e) {
            log.debug("measuring the projection's lag failed: {}", e.toString());
        }
    }

    /** The store, and the model active in its catalog, before anything folds a lead. */
    private record Store(MongoConnection connection, PersonalDataVault vault, Serializer serializer,
                         MongoIndexedEventStorageEngine engine, CatalogReader catalog, SnapshotGuard snapshots,
                         ActiveScoringModel model) {

        static Store open(ServerConfig config, PrometheusMeterRegistry registry) {
            MongoConnection connection = config.mongoUri() == null ? MongoConnection.embedded(config.dataDir())
                                                                   : MongoConnection.external(config.mongoUri());
            PersonalDataVault vault = PersonalDataVault.on(connection, Tuning.CACHED_KEYS);
            Serializer serializer = Serializers.jackson(vault);
            MongoIndexedEventStorageEngine engine = EventStorage.on(connection, serializer, registry);
            CatalogReader catalog = new CatalogReader(engine);
            SnapshotGuard snapshots = new SnapshotGuard(connection.database(), engine);
            CatalogState stored = catalog.read();
            ActiveScoringModel model = new ActiveScoringModel(BuiltInModels.defaultModel());
            model.switchTo(new RuleBasedModel(stored.definition(stored.active())));
            snapshots.ensureFoldedUnder(stored.active());
            return new Store(connection, vault, serializer, engine, catalog, snapshots, model);
        }
    }

    /** The Axon application around the aggregates, the score projection it runs and the leads it holds folded. */
    private record Core(AxonApplication axon, LeadScoreStore scores, LeadScoreProjection projection, LeadFolds folds,
                        HistoryReplay replay, CaffeineAggregateCache leadCache, ProjectionProgress progress) {

        static Core start(ServerConfig config, Store store, PrometheusMeterRegistry registry, ServerThreads threads) {
            LeadScoreStore scores = new LeadScoreStore(store.connection().database());
            scores.load(store.connection());
            // One fold per lead in memory, shared by the projection and history queries.
            LeadFolds folds = new LeadFolds(config.cachedLeads());
            // The processor the poll asks exists only once the application started, after the projection.
            java.util.concurrent.atomic.AtomicReference<AxonApplication> started =
                    new java.util.concurrent.atomic.AtomicReference<>();
            ProjectionProgress progress = new ProjectionProgress(
                    () -> java.util.Optional.ofNullable(started.get()).flatMap(AxonApplication::projectionPosition),
                    store.engine()::headPosition, threads.timer("leadscore-read-waits"));
            LeadScoreProjection projection = new LeadScoreProjection(scores, store.model(), store.engine(), folds,
                                                                     store.vault()::erase, progress::advancedTo);
            HistoryReplay replay = new HistoryReplay(HistorySource.of(store.engine(), store.connection()));
            ProjectionRebuild rebuild = new ProjectionRebuild(replay, projection, scores, store.model());
            CaffeineAggregateCache leadCache = new CaffeineAggregateCache(config.cachedLeads());
            AxonApplication axon = AxonApplication.start(
                    new AxonApplication.Settings(store.connection(), store.serializer(), store.engine(), registry,
                                                 Tuning.COMMAND_THREADS, config.rebuildProjections()),
                    new AxonModules().component(ScoringModel.class, store.model())
                                     .component(PersonalDataReader.class, store.vault())
                                     .aggregate(ModelCatalog.class)
                                     .aggregate(Spend.class)
                                     .cachedAggregate(Lead.class, leadCache, Tuning.SNAPSHOT_EVERY)
                                     .onDispatch(new CallerOnCommands())
                                     .metadataOnEvents(CallerOnCommands.CALLER),
                    new TrackedScoreProjection(projection, rebuild,
                                               new ScoreRowFormat(store.connection().database())));
            started.set(axon);
            return new Core(axon, scores, projection, folds, replay, leadCache, progress);
        }
    }

    /** What the services offer over the read side: history, queues, watches, SLAs and publishing. */
    private record Features(LeadHistory history, LeadQueue queue, WatchRunner watches, SlaSweeper slaSweeper,
                            ModelPublisher publisher) {

        static Features of(ServerConfig config, Store store, Core core, BusinessMetrics business, Clock clock) {
            // The leads the projection holds folded: a read of one needs no store read and no second copy.
            LeadHistory history = new LeadHistory(store.engine(), store.model(), core.folds());
            // Each lead as GetScore shows it: a lead whose facts are dated ahead of the query's time scores as of
            // them.
            LeadQueue queue = new LeadQueue(core.scores(), (row, asOf) -> history.score(
                    row.leadId(), row.readableAt(asOf), row.version()).lead(), store.model()::bandScale, clock);
            return new Features(history, queue, new WatchRunner(core.axon().eventStore(), core.scores(), history),
                                new SlaSweeper(core.scores(), core.axon().commandGateway(), store.model(), clock,
                                               business, config.slaSweepInterval()),
                                new ModelPublisher(core.axon().commandGateway(),
                                                   new PublishRescoring(core.axon(), core.projection(), core.scores(),
                                                                        core.leadCache(), store.engine()),
                                                   store.model(), store.catalog(), store.snapshots(), clock));
        }
    }

    /** The gRPC services, each with what it needs. */
    private static List<BindableService> services(ServerConfig config, Store store, Core core, Features features,
                                                  BusinessMetrics business, ServerThreads threads, Clock clock) {
        // Each service reads its requests through its own *Requests class, on the shared field checks.
        RequestValidator validator = new RequestValidator(clock);
        // Backtests and funnel reports share one small pool: each reads the whole history.
        var analytics = threads.pool("leadscore-analytics", Tuning.ANALYTICS_THREADS);
        var commands = core.axon().commandGateway();
        return List.of(
                new LeadGrpcService(new LeadCommands(commands, core.axon().storedPositions(), business,
                                                     store.vault()),
                                    new LeadRequests(validator, clock), config.maxStreamRate(),
                                    threads.timer("leadscore-stream-pacing")),
                new ScoreGrpcService(core.scores(), features.history(), features.queue(), features.watches(),
                                     new AccountScores(core.scores(), features.history(), store.model(), clock),
                                     store.vault()::revealWithin, new ScoreRequests(validator), clock,
                                     core.progress(), threads.pool("leadscore-waited-reads", 2), store.model()),
                new ModelGrpcService(commands, store.catalog(), features.publisher(),
                                     threads.pool("leadscore-model-publish", 1), new ModelRequests(clock)),
                new BacktestGrpcService(new Backtester(core.replay()),
                                        new BacktestRequests(store.catalog(), store.model()::current, clock),
                                        analytics, business),
                new AnalyticsGrpcService(commands, new FunnelReporter(core.replay()), store.model()::current,
                                         new AnalyticsRequests(validator, clock), analytics));
    }

    public int grpcPort() {
        return server.getPort();
    }

    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** What lies below the API, for tests and tools. */
    public Internals internals() {
        return internals;
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
        readiness.stopping();
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
        threads.close();
        internals.axon().close();
        connection.close();
        log.info("Leadscore stopped");
    }
}
