package io.leadscore.server;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.grpc.security.ServerSecurity;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.ScoreServiceGrpc;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The real server for an end-to-end test, on a temporary directory of its own: started before the test, stopped and
 * its directory deleted after. A {@code static} {@code @RegisterExtension} field gives the class one server, an
 * instance field one server per test. Options say what the test varies:
 * <pre>{@code
 * @RegisterExtension
 * final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW)
 *         .withConfig(config -> config.withIdleTimeout(Duration.ofSeconds(2)));
 * }</pre>
 * The server runs on the in-process transport unless {@link #overNetty()}; it starts on
 * {@link ServerConfig#forTests} with the data under {@link #dataDir()}, changed by each {@link #withConfig} in turn.
 * A test may stop it, restart it on the same data, or, {@link #startedByTheTest()}, start it itself.
 */
public final class LeadscoreExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
                                                 AfterEachCallback {

    private static final String CALLERS_FILE = "callers.yaml";

    private final Clock clock;
    private UnaryOperator<ServerConfig> config = UnaryOperator.identity();
    private String callers;
    private boolean netty;
    private UnaryOperator<ManagedChannelBuilder<?>> channelOptions = UnaryOperator.identity();
    private Duration clientDeadline = Duration.ofSeconds(10);
    private boolean startedByTheTest;

    private ExtensionContext classContext;
    private Path directory;
    private InProcessLeadscore running;
    private final List<ManagedChannel> channelsOfTheTest = new ArrayList<>();

    private LeadscoreExtension(Clock clock) {
        this.clock = clock;
    }

    /** A server whose clock stands still at {@code now}: every "now" of the test is that instant. */
    public static LeadscoreExtension withClockStoppedAt(Instant now) {
        return withClock(Clock.fixed(now, ZoneOffset.UTC));
    }

    /** A server on {@code clock}, say one the test moves forward. */
    public static LeadscoreExtension withClock(Clock clock) {
        return new LeadscoreExtension(clock);
    }

    /** A server on the system clock, for tests about real time (deadlines, idle timeouts, rates). */
    public static LeadscoreExtension withSystemClock() {
        return withClock(Clock.systemUTC());
    }

    /** The configuration changed by {@code change} too, after the changes given before it. */
    public LeadscoreExtension withConfig(UnaryOperator<ServerConfig> change) {
        UnaryOperator<ServerConfig> before = config;
        config = given -> change.apply(before.apply(given));
        return this;
    }

    /** Callers who must authenticate, listed in a callers file of this content beside the data; no TLS. */
    public LeadscoreExtension withCallersFile(String content) {
        callers = content;
        return withConfig(given -> given.withSecurity(
                new ServerSecurity(null, null, null, directory().resolve(CALLERS_FILE))));
    }

    /**
     * On Netty instead: at the configured bind address, on a free port, with the configured credentials. The
     * extension's own channel is plaintext to loopback; a test of TLS opens its own (see {@link #closeWithServer}).
     */
    public LeadscoreExtension overNetty() {
        netty = true;
        return this;
    }

    /** The extension's channel built with {@code options} too (say, a larger inbound message size). */
    public LeadscoreExtension withChannel(UnaryOperator<ManagedChannelBuilder<?>> options) {
        UnaryOperator<ManagedChannelBuilder<?>> before = channelOptions;
        channelOptions = given -> options.apply(before.apply(given));
        return this;
    }

    /** The {@link #client()} with {@code deadline} per call instead of ten seconds. */
    public LeadscoreExtension withClientDeadline(Duration deadline) {
        clientDeadline = deadline;
        return this;
    }

    /** Not started before the test: the test calls {@link #start()} once its world is ready. */
    public LeadscoreExtension startedByTheTest() {
        startedByTheTest = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (classContext == null) {
            classContext = context;
            setUp();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context == classContext) {
            tearDown();
            classContext = null;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (classContext == null) {
            setUp();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (classContext == null) {
            tearDown();
        }
    }

    private void setUp() throws IOException {
        directory = Files.createTempDirectory("leadscore-e2e");
        if (callers != null) {
            Files.writeString(directory.resolve(CALLERS_FILE), callers);
        }
        if (!startedByTheTest) {
            start();
        }
    }

    private void tearDown() {
        try {
            stop();
        } finally {
            delete(directory);
            directory = null;
        }
    }

    /** Starts the server as configured. */
    public InProcessLeadscore start() {
        return start(UnaryOperator.identity());
    }

    /** Starts the server as configured and changed by {@code change}, for this start only. */
    public InProcessLeadscore start(UnaryOperator<ServerConfig> change) {
        if (running != null) {
            throw new IllegalStateException("the server is running already: stop it first, or restart it");
        }
        ServerConfig configured = change.apply(config.apply(ServerConfig.forTests(dataDir())));
        LeadscoreServer server;
        ManagedChannelBuilder<?> channel;
        if (netty) {
            server = LeadscoreServer.start(configured, NettyServerBuilder.forAddress(
                    new InetSocketAddress(configured.bindAddress(), 0), configured.security().credentials()), clock);
            channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext();
        } else {
            String name = InProcessServerBuilder.generateName();
            server = LeadscoreServer.start(configured, InProcessServerBuilder.forName(name), clock);
            channel = InProcessChannelBuilder.forName(name);
        }
        running = InProcessLeadscore.of(server, channelOptions.apply(channel).build(), clientDeadline);
        return running;
    }

    /** Stops the server, its channel and those the test handed over; the data stays. Does nothing if stopped. */
    public void stop() {
        channelsOfTheTest.forEach(ManagedChannel::shutdownNow);
        channelsOfTheTest.clear();
        if (running != null) {
            InProcessLeadscore stopping = running;
            running = null;
            stopping.close();
        }
    }

    /** Stops the server and starts it again on the same data. */
    public InProcessLeadscore restart() {
        return restart(UnaryOperator.identity());
    }

    /** Stops the server and starts it again on the same data, changed by {@code change} (say, rebuilding). */
    public InProcessLeadscore restart(UnaryOperator<ServerConfig> change) {
        stop();
        return start(change);
    }

    /** {@code channel}, which the test opened itself, shut down when the server stops. */
    public <C extends ManagedChannel> C closeWithServer(C channel) {
        channelsOfTheTest.add(channel);
        return channel;
    }

    /** The running server and a channel and client to it. */
    public InProcessLeadscore running() {
        if (running == null) {
            throw new IllegalStateException("the server is not running");
        }
        return running;
    }

    /** The server itself, for what the API does not show (the store's head position, say). */
    public LeadscoreServer server() {
        return running().server();
    }

    public ManagedChannel channel() {
        return running().channel();
    }

    public LeadscoreClient client() {
        return running().client();
    }

    public LeadServiceGrpc.LeadServiceBlockingStub leads() {
        return running().leads();
    }

    public ScoreServiceGrpc.ScoreServiceBlockingStub scores() {
        return running().scores();
    }

    public ModelServiceGrpc.ModelServiceBlockingStub models() {
        return running().models();
    }

    /** The test's temporary directory, for files beside the data (certificates, callers files). */
    public Path directory() {
        if (directory == null) {
            throw new IllegalStateException("no test directory yet: is the extension a @RegisterExtension field?");
        }
        return directory;
    }

    /** Where the embedded store keeps its data: {@code data} in {@link #directory()}, made by the server. */
    public Path dataDir() {
        return directory().resolve("data");
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the test directory " + directory, e);
        }
    }
}
