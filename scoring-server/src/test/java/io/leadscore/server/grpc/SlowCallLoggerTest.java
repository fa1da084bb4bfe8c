package io.leadscore.server.grpc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SlowCallLoggerTest {

    @Test
    void aSlowCallIsLoggedWithItsRequestIdWhichTheCallerGetsBack() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(SlowCallLogger.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        String name = InProcessServerBuilder.generateName();
        // A zero threshold makes every call slow.
        Server server = InProcessServerBuilder.forName(name).addService(ServerInterceptors.intercept(
                new HealthStatusManager().getHealthService(), new SlowCallLogger(Duration.ZERO))).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            Metadata sent = new Metadata();
            sent.put(SlowCallLogger.REQUEST_ID, "req-42");
            AtomicReference<Metadata> headers = new AtomicReference<>();
            HealthGrpc.newBlockingStub(channel)
                      .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent),
                                        MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
                      .check(HealthCheckRequest.getDefaultInstance());

            assertThat(headers.get().get(SlowCallLogger.REQUEST_ID)).isEqualTo("req-42");
            assertThat(logged.list).singleElement().satisfies(event -> {
                assertThat(event.getFormattedMessage()).contains("grpc.health.v1.Health/Check", "req-42");
                assertThat(event.getKeyValuePairs()).extracting(kv -> kv.key)
                        .contains("event", "method", "status", "durationMs", "requestId");
            });
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
            logger.detachAppender(logged);
        }
    }
}
