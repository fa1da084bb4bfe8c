package io.leadscore.server.axon;

import com.mongodb.WriteConcern;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.lead.Lead;
import io.leadscore.server.model.catalog.ModelCatalog;
import io.leadscore.server.model.catalog.SnapshotGuard;
import io.leadscore.server.projection.LeadScoreProjection;
import io.leadscore.server.projection.LeadScoreStore;
import io.leadscore.server.projection.ProjectionRebuild;
import io.leadscore.server.replay.HistoryReplay;
import io.leadscore.server.privacy.PersonalDataReader;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.server.storage.MongoConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.axonframework.serialization.Serializer;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Axon side of Leadscore, wired with the plain {@link Configurer} API: the {@link Lead} aggregate (cached,
 * snapshotted every {@value #SNAPSHOT_EVERY} events) on {@link MongoIndexedEventStorageEngine}, an asynchronous
 * command bus whose gateway retries lost optimistic-concurrency races until the call's deadline
 * ({@link ConflictRetryScheduler}), and the score projection on a pooled streaming
 * processor whose tokens live in MongoDB.
 */
public final class AxonApplication implements AutoCloseable {

    static final int SNAPSHOT_EVERY = 100;
    /** Lead keys kept in memory; a miss costs one read by id. */
    private static final int CACHED_KEYS = 100_000;
    private static final int COMMAND_THREADS = 64;

    private final Configuration configuration;
    private final MongoIndexedEventStorageEngine engine;
    private final LeadScoreStore scores;
    private final LeadScoreProjection projection;
    private final CaffeineAggregateCache leadCache;
    private final ExecutorService commandExecutor;
    private final ScheduledExecutorService retryExecutor;
    private final ProjectionRebuild rebuild;
    private final PersonalDataVault vault;

    private AxonApplication(Configuration configuration, MongoIndexedEventStorageEngine engine,
                            PersonalDataVault vault, LeadScoreStore scores,
                            LeadScoreProjection projection, CaffeineAggregateCache leadCache,
                            ExecutorService commandExecutor, ScheduledExecutorService retryExecutor,
                            ProjectionRebuild rebuild) {
        this.rebuild = rebuild;
        this.configuration = configuration;
        this.engine = engine;
        this.vault = vault;
        this.scores = scores;
        this.projection = projection;
        this.leadCache = leadCache;
        this.commandExecutor = commandExecutor;
        this.retryExecutor = retryExecutor;
    }

    /** Builds and starts the application; the score projection starts catching up at once. */
    public static AxonApplication start(MongoConnection connection, ScoringModel model, MeterRegistry registry,
                                        int cachedLeads) {
        return start(connection, model, registry, cachedLeads, engine -> { });
    }

    /**
     * Builds and starts the application; {@code beforeStart} sees the storage engine before any handler runs
     * (to load the active model from the catalog's events).
     */
    public static AxonApplication start(MongoConnection connection, ScoringModel model, MeterRegistry registry,
                                        int cachedLeads, Consumer<MongoIndexedEventStorageEngine> beforeStart) {
        return start(connection, model, registry, cachedLeads, beforeStart, false);
    }

    /**
     * Like {@link #start(MongoConnection, ScoringModel, MeterRegistry, int, Consumer)}; with
     * {@code rebuildProjections} the score projection is recomputed from the whole history before any processor
     * starts, and its processor begins at the head the rebuild read up to.
     */
    public static AxonApplication start(MongoConnection connection, ScoringModel model, MeterRegistry registry,
                                        int cachedLeads, Consumer<MongoIndexedEventStorageEngine> beforeStart,
                                        boolean rebuildProjections) {
        // Keys are few per lead and looked up only to show a value: a small cache covers the live working set.
        PersonalDataVault vault = PersonalDataVault.on(connection, CACHED_KEYS);
        Serializer serializer = Serializers.jackson(vault);
        MongoIndexedEventStorageEngine engine = eventStorageEngine(connection, serializer, registry);
        beforeStart.accept(engine);
        LeadScoreStore scores = new LeadScoreStore(connection.database());
        scores.load(connection);
        LeadScoreProjection projection = new LeadScoreProjection(scores, model, engine, cachedLeads)
                .shreddingKeysWith(vault::erase);
        MongoTokenStore.Builder tokenStoreBuilder = MongoTokenStore.builder()
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(connection.database()).build())
                .serializer(serializer)
                .claimTimeout(Duration.ofSeconds(10));
        if (connection.isEmbedded()) {
            // Only one process can open the embedded store, so a restarted server may take over its predecessor's
            // claims at once instead of waiting for them to time out.
            tokenStoreBuilder.nodeId("leadscore-embedded");
        }
        MongoTokenStore tokenStore = tokenStoreBuilder.build();

        CaffeineAggregateCache leadCache = new CaffeineAggregateCache(cachedLeads);
        ExecutorService commandExecutor = Executors.newFixedThreadPool(COMMAND_THREADS, named("leadscore-command"));
        // Each command runs in the gRPC context of the call that sent it, so that ExpiredCallFilter sees its deadline.
        java.util.concurrent.Executor commandsInCallContext = io.grpc.Context.currentContextExecutor(commandExecutor);
        ScheduledExecutorService retryExecutor =
                Executors.newSingleThreadScheduledExecutor(named("leadscore-command-retry"));

        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> engine)
                .registerComponent(ScoringModel.class, c -> model)
                .registerComponent(PersonalDataReader.class, c -> vault)
                // Events inherit the caller from the command that caused them. Only that: Axon's correlation and
                // trace ids would add two UUIDs to every stored event and nothing reads them.
                .configureCorrelationDataProviders(c -> java.util.List.of(
                        new org.axonframework.messaging.correlation.SimpleCorrelationDataProvider(
                                io.leadscore.server.security.CallerOnCommands.CALLER)))
                .configureCommandBus(c -> {
                    AsynchronousCommandBus bus = AsynchronousCommandBus.builder()
                            .executor(commandsInCallContext)
                            .transactionManager(c.getComponent(
                                    org.axonframework.common.transaction.TransactionManager.class))
                            .messageMonitor(c.messageMonitor(AsynchronousCommandBus.class, "commandBus"))
                            .build();
                    bus.registerHandlerInterceptor(new ExpiredCallFilter());
                    bus.registerDispatchInterceptor(new io.leadscore.server.security.CallerOnCommands());
                    // What the default bus does and a custom one must too: copy correlation data to the events.
                    bus.registerHandlerInterceptor(new org.axonframework.messaging.interceptors.CorrelationDataInterceptor<>(
                            c.correlationDataProviders()));
                    return bus;
                })
                .registerComponent(CommandGateway.class, c -> DefaultCommandGateway.builder()
                        .commandBus(c.commandBus())
                        // Lost optimistic-concurrency races are retried until the call's deadline.
                        .retryScheduler(new ConflictRetryScheduler(retryExecutor, new java.util.Random()))
                        .build())
                .configureAggregate(ModelCatalog.class)
                .configureAggregate(io.leadscore.server.analytics.Spend.class)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Lead.class)
                        .configureCache(c -> leadCache)
                        .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(
                                c.snapshotter(), SNAPSHOT_EVERY)));
        configurer.eventProcessing(processing -> processing
                .registerTokenStore(c -> tokenStore)
                // A tracking processor waits on the event store's stream and wakes as soon as an append commits;
                // the pooled streaming processor polls this store every 500 ms (its stream offers no availability
                // callback), which made every change half a second late in GetScore (bench freshness).
                .registerTrackingEventProcessor(
                        LeadScoreProjection.PROCESSING_GROUP,
                        org.axonframework.config.Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                                .andBatchSize(500)
                                                                .andInitialSegmentsCount(1))
                .registerEventHandler(c -> projection));
        new MetricsConfigurerModule(new GlobalMetricRegistry(registry), true).configureModule(configurer);

        Configuration configuration = configurer.buildConfiguration();
        ProjectionRebuild rebuild = new ProjectionRebuild(new HistoryReplay(engine, connection), projection, scores,
                                                          model);
        // A projection that has never run on this history (a new server on an imported or generated store) is
        // built in one parallel pass too: event by event it would take twenty times as long.
        boolean neverRun = tokenStore.fetchSegments(LeadScoreProjection.PROCESSING_GROUP).length == 0
                           && engine.headPosition() > 0;
        // Rows folded by an earlier version (an upgrade) are rebuilt before they are served.
        SnapshotGuard rows = new SnapshotGuard(connection.database(), engine);
        boolean outdated = !rows.scoreRowsCurrent() && engine.headPosition() > 0;
        if (rebuildProjections || neverRun || outdated) {
            TrackingToken head = engine.createHeadToken();
            rebuild.run();
            startProcessorAt(tokenStore, head);
        }
        rows.scoreRowsRebuilt();
        configuration.start();
        return new AxonApplication(configuration, engine, vault, scores, projection, leadCache, commandExecutor,
                                   retryExecutor, rebuild);
    }

    /** Points the score processor's only segment at {@code head}, before the processor runs. */
    private static void startProcessorAt(MongoTokenStore tokenStore, TrackingToken head) {
        String name = LeadScoreProjection.PROCESSING_GROUP;
        int[] segments = tokenStore.fetchSegments(name);
        if (segments.length == 0) {
            tokenStore.initializeTokenSegments(name, 1, head);
            return;
        }
        for (int segment : segments) {
            tokenStore.fetchToken(name, segment); // claims it, so that the token may be replaced
            tokenStore.storeToken(head, name, segment);
            tokenStore.releaseClaim(name, segment);
        }
    }

    /**
     * The event store on {@code connection}: a single writer on the embedded server, majority-acknowledged and
     * journaled writes on MongoDB. Tools that write history directly (the benchmark's generator) use it too.
     */
    public static MongoIndexedEventStorageEngine eventStorageEngine(MongoConnection connection,
                                                                    Serializer serializer) {
        return eventStorageEngine(connection, serializer, new SimpleMeterRegistry());
    }

    /** The event store on {@code connection}, timing appends and reads into {@code registry}. */
    public static MongoIndexedEventStorageEngine eventStorageEngine(MongoConnection connection,
                                                                    Serializer serializer, MeterRegistry registry) {
        return MongoIndexedEventStorageEngine.builder()
                .meterRegistry(registry)
                .database(connection.database())
                .durability(connection.durability())
                .singleWriter(connection.isEmbedded())
                .writeConcern(connection.isEmbedded() ? WriteConcern.ACKNOWLEDGED
                                      : WriteConcern.MAJORITY.withJournal(true).withWTimeout(10, TimeUnit.SECONDS))
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .build();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public CommandGateway commandGateway() {
        return configuration.commandGateway();
    }

    public EventStore eventStore() {
        return configuration.eventStore();
    }

    /** The per-lead keys of personal data: sealing, revealing, erasure. */
    public PersonalDataVault personalData() {
        return vault;
    }

    public MongoIndexedEventStorageEngine engine() {
        return engine;
    }

    public LeadScoreStore scores() {
        return scores;
    }

    public LeadScoreProjection scoreProjection() {
        return projection;
    }

    /** The score projection's processor, for catch-up checks and rebuilds. */
    public StreamingEventProcessor scoreProcessor() {
        return configuration.eventProcessingConfiguration()
                            .eventProcessor(LeadScoreProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
                            .orElseThrow();
    }

    /**
     * True once the score projection has processed every event stored before the call. Compares positions only:
     * a token may keep gaps that never fill (positions lost in a crash), and Axon's {@code covers} would then
     * never report the projection as caught up.
     */
    public boolean projectionCaughtUp() {
        TrackingToken head = engine.createHeadToken();
        if (head == null) {
            return true;
        }
        long headPosition = head.position().orElse(0);
        Collection<EventTrackerStatus> segments = scoreProcessor().processingStatus().values();
        // No claimed segment yet means nothing has been processed: not caught up.
        return !segments.isEmpty()
               && segments.stream().allMatch(status -> status.getTrackingToken() != null
                       && status.getTrackingToken().position().orElse(-1) >= headPosition);
    }

    /** Forgets cached leads (folded under a previous model); the next command loads its lead again. */
    public void forgetCachedLeads() {
        leadCache.removeAll();
    }

    /**
     * Recomputes the score projection from the whole history: the processor stops, every row is rebuilt in one
     * parallel pass over the events stored up to the head at that moment, and the processor resumes from that head,
     * so events stored meanwhile are applied by it as usual (rows skip what they already hold).
     */
    public void rebuildProjections() {
        StreamingEventProcessor processor = scoreProcessor();
        processor.shutDown();
        TrackingToken head = engine.createHeadToken();
        rebuild.run();
        if (head == null) {
            processor.resetTokens();
        } else {
            processor.resetTokens(head);
        }
        processor.start();
    }

    @Override
    public void close() {
        configuration.shutdown();
        commandExecutor.shutdown();
        retryExecutor.shutdownNow();
        try {
            commandExecutor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
