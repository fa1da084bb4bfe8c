package io.leadscore.server.axon;

import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.storage.MongoConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.axonframework.serialization.Serializer;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Axon, wired with the plain {@link Configurer} API around what the composition root hands in
 * ({@link AxonModules}: aggregates and their components; a {@link TrackedProjection}): an asynchronous command bus
 * whose gateway retries lost optimistic-concurrency races until the call's deadline
 * ({@link ConflictRetryScheduler}), and the projection on a tracking processor whose tokens live in MongoDB.
 */
public final class AxonApplication implements AutoCloseable {

    private final Configuration configuration;
    private final MongoIndexedEventStorageEngine engine;
    private final TrackedProjection projection;
    private final ExecutorService commandExecutor;
    private final ScheduledExecutorService retryExecutor;

    private final StoredPositions positions;

    private AxonApplication(Configuration configuration, MongoIndexedEventStorageEngine engine,
                            TrackedProjection projection, ExecutorService commandExecutor,
                            ScheduledExecutorService retryExecutor, StoredPositions positions) {
        this.configuration = configuration;
        this.positions = positions;
        this.engine = engine;
        this.projection = projection;
        this.commandExecutor = commandExecutor;
        this.retryExecutor = retryExecutor;
    }

    /**
     * How the application runs.
     *
     * @param connection         the store: its database keeps the processor's tokens
     * @param serializer         for events, snapshots, commands and tokens
     * @param engine             the event store on {@code connection}
     * @param registry           Axon's message metrics go here
     * @param commandThreads     commands handled at once
     * @param rebuildProjection  rebuild the projection from the whole history before its processor starts
     */
    public record Settings(MongoConnection connection, Serializer serializer, MongoIndexedEventStorageEngine engine,
                           MeterRegistry registry, int commandThreads, boolean rebuildProjection) {
    }

    /** Builds and starts the application; the projection starts catching up at once. */
    public static AxonApplication start(Settings settings, AxonModules modules, TrackedProjection projection) {
        TokenStore tokenStore = tokenStore(settings.connection(), settings.serializer());
        ExecutorService commandExecutor = Executors.newFixedThreadPool(settings.commandThreads(),
                                                                       named("leadscore-command"));
        ScheduledExecutorService retryExecutor =
                Executors.newSingleThreadScheduledExecutor(named("leadscore-command-retry"));
        StoredPositions positions = new StoredPositions(settings.engine()::headPosition);
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> settings.serializer())
                .configureEventSerializer(c -> settings.serializer())
                .configureMessageSerializer(c -> settings.serializer())
                .configureEmbeddedEventStore(c -> settings.engine());
        commandHandling(configurer, modules, commandExecutor, retryExecutor, positions);
        modules.applyTo(configurer);
        configurer.eventProcessing(processing -> processing
                .registerTokenStore(c -> tokenStore)
                // A tracking processor waits on the event store's stream and wakes as soon as an append commits;
                // the pooled streaming processor polls this store every 500 ms (its stream offers no availability
                // callback), which made every change half a second late in GetScore (bench freshness).
                .registerTrackingEventProcessor(
                        projection.processingGroup(),
                        org.axonframework.config.Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                                .andBatchSize(500)
                                                                .andInitialSegmentsCount(1))
                .registerEventHandler(c -> projection.eventHandler()));
        new MetricsConfigurerModule(new GlobalMetricRegistry(settings.registry()), true).configureModule(configurer);

        Configuration configuration = configurer.buildConfiguration();
        prepareProjection(settings, projection, tokenStore);
        configuration.start();
        return new AxonApplication(configuration, settings.engine(), projection, commandExecutor, retryExecutor,
                                   positions);
    }

    /** Tracking tokens in the store's database. */
    private static TokenStore tokenStore(MongoConnection connection, Serializer serializer) {
        MongoTokenStore.Builder builder = MongoTokenStore.builder()
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(connection.database()).build())
                .serializer(serializer)
                .claimTimeout(Duration.ofSeconds(10));
        if (connection.isEmbedded()) {
            // Only one process can open the embedded store, so a restarted server may take over its predecessor's
            // claims at once instead of waiting for them to time out.
            builder.nodeId("leadscore-embedded");
        }
        return new RepeatableTokenStore(builder.build());
    }

    /**
     * An asynchronous command bus on {@code executor}, each command in the gRPC context of the call that sent it
     * (so that {@link ExpiredCallFilter} sees its deadline), and a gateway that retries lost optimistic-concurrency
     * races until that deadline.
     */
    private static void commandHandling(Configurer configurer, AxonModules modules, ExecutorService executor,
                                        ScheduledExecutorService retryExecutor, StoredPositions positions) {
        java.util.concurrent.Executor inCallContext = io.grpc.Context.currentContextExecutor(executor);
        configurer.configureCorrelationDataProviders(c -> modules.metadataOnEvents().stream()
                          .<org.axonframework.messaging.correlation.CorrelationDataProvider>map(
                                  SimpleCorrelationDataProvider::new)
                          .toList())
                  .configureCommandBus(c -> {
                      AsynchronousCommandBus bus = AsynchronousCommandBus.builder()
                              .executor(inCallContext)
                              .transactionManager(c.getComponent(
                                      org.axonframework.common.transaction.TransactionManager.class))
                              .messageMonitor(c.messageMonitor(AsynchronousCommandBus.class, "commandBus"))
                              .build();
                      bus.registerHandlerInterceptor(new ExpiredCallFilter());
                      bus.registerHandlerInterceptor(positions);
                      modules.dispatchInterceptors().forEach(bus::registerDispatchInterceptor);
                      // What the default bus does and a custom one must too: copy correlation data to the events.
                      bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(c.correlationDataProviders()));
                      return bus;
                  })
                  .registerComponent(CommandGateway.class, c -> DefaultCommandGateway.builder()
                          .commandBus(c.commandBus())
                          .retryScheduler(new ConflictRetryScheduler(retryExecutor, new java.util.Random()))
                          .build());
    }

    /**
     * Before the processor runs: a projection that has never run on this history (a new server on an imported or
     * generated store) is built in one parallel pass, since event by event it would take twenty times as long, and
     * so are rows built by an earlier version (an upgrade), before they are served.
     */
    private static void prepareProjection(Settings settings, TrackedProjection projection,
                                          TokenStore tokenStore) {
        MongoIndexedEventStorageEngine engine = settings.engine();
        boolean stored = engine.headPosition() > 0;
        boolean neverRun = tokenStore.fetchSegments(projection.processingGroup()).length == 0 && stored;
        boolean outdated = !projection.rowsCurrent() && stored;
        if (settings.rebuildProjection() || neverRun || outdated) {
            TrackingToken head = engine.createHeadToken();
            projection.rebuild();
            startProcessorAt(tokenStore, projection.processingGroup(), head);
        } else if (!stored) {
            // A new store: the rows (none) are of this version, and the processor starts at the beginning.
            projection.rowsAreCurrent();
        }
    }

    /** Points the processor's only segment at {@code head}, before the processor runs. */
    private static void startProcessorAt(TokenStore tokenStore, String name, TrackingToken head) {
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

    /** The store positions of commands sent asking for them. */
    public io.leadscore.server.common.CommandPositions storedPositions() {
        return positions;
    }

    /** The event store as Axon sees it (with its bus): for watches that follow the stream. */
    public EventStore eventStore() {
        return configuration.eventStore();
    }

    /** Where each segment of the projection's processor is, for lag metrics. */
    public Map<Integer, EventTrackerStatus> projectionStatus() {
        return processor().processingStatus();
    }

    /** The token of the projection's furthest-behind segment; empty while it holds none. */
    public java.util.Optional<TrackingToken> projectionPosition() {
        return projectionStatus().values().stream().map(EventTrackerStatus::getTrackingToken)
                                 .filter(java.util.Objects::nonNull)
                                 .min(java.util.Comparator.comparingLong(token -> token.position().orElse(0)));
    }

    /**
     * True once the projection has processed every event stored before the call. Compares positions only: a token
     * may keep gaps that never fill (positions lost in a crash), and Axon's {@code covers} would then never report
     * the projection as caught up.
     */
    public boolean projectionCaughtUp() {
        TrackingToken head = engine.createHeadToken();
        if (head == null) {
            return true;
        }
        long headPosition = head.position().orElse(0);
        Collection<EventTrackerStatus> segments = projectionStatus().values();
        // No claimed segment yet means nothing has been processed: not caught up.
        return !segments.isEmpty()
               && segments.stream().allMatch(status -> status.getTrackingToken() != null
                       && status.getTrackingToken().position().orElse(-1) >= headPosition);
    }

    /**
     * Recomputes the projection from the whole history: the processor stops, every row is rebuilt in one pass over
     * the events stored up to the head at that moment, and the processor resumes from that head, so events stored
     * meanwhile are applied by it as usual (rows skip what they already hold).
     */
    public void rebuildProjection() {
        StreamingEventProcessor processor = processor();
        processor.shutDown();
        TrackingToken head = engine.createHeadToken();
        projection.rebuild();
        if (head == null) {
            processor.resetTokens();
        } else {
            processor.resetTokens(head);
        }
        processor.start();
    }

    private StreamingEventProcessor processor() {
        return configuration.eventProcessingConfiguration()
                            .eventProcessor(projection.processingGroup(), StreamingEventProcessor.class)
                            .orElseThrow();
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
