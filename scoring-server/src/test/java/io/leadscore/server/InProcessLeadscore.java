package io.leadscore.server;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.ScoreServiceGrpc;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The real server running in the test's own process (unlike {@link ServerProcess}) and a channel to it: what an
 * end-to-end test talks to, through the Java client or the generated stubs. {@link LeadscoreExtension} starts and
 * stops it around tests, on the in-process transport or on Netty.
 */
public final class InProcessLeadscore implements AutoCloseable {

    private final LeadscoreServer server;
    private final ManagedChannel channel;
    private final LeadscoreClient client;

    private InProcessLeadscore(LeadscoreServer server, ManagedChannel channel) {
        this(server, channel, Duration.ofSeconds(10));
    }

    private InProcessLeadscore(LeadscoreServer server, ManagedChannel channel, Duration clientDeadline) {
        this.server = server;
        this.channel = channel;
        this.client = LeadscoreClient.create(channel, clientDeadline);
    }

    public static InProcessLeadscore start(Path dataDir, Instant now) {
        return start(ServerConfig.forTests(dataDir), now);
    }

    /** The same with {@code config} (say, with the projections rebuilt on start). */
    public static InProcessLeadscore start(ServerConfig config, Instant now) {
        String name = InProcessServerBuilder.generateName();
        LeadscoreServer server = LeadscoreServer.start(config, InProcessServerBuilder.forName(name),
                                                       Clock.fixed(now, ZoneOffset.UTC));
        return new InProcessLeadscore(server, InProcessChannelBuilder.forName(name).build());
    }

    /** The server itself, for what the API does not show (the store's head position, say). */
    public LeadscoreServer server() {
        return server;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public LeadscoreClient client() {
        return client;
    }

    public LeadServiceGrpc.LeadServiceBlockingStub leads() {
        return LeadServiceGrpc.newBlockingStub(channel);
    }

    public ScoreServiceGrpc.ScoreServiceBlockingStub scores() {
        return ScoreServiceGrpc.newBlockingStub(channel);
    }

    public ModelServiceGrpc.ModelServiceBlockingStub models() {
        return ModelServiceGrpc.newBlockingStub(channel);
    }

    /** A protobuf timestamp of {@code instant}, to the nanosecond. */
    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** A started server and a channel to it, with a client of {@code clientDeadline} per call. */
    static InProcessLeadscore of(LeadscoreServer server, ManagedChannel channel, Duration clientDeadline) {
        return new InProcessLeadscore(server, channel, clientDeadline);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.close();
    }
}
