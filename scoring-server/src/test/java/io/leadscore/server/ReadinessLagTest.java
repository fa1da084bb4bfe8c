package io.leadscore.server;

import io.leadscore.server.grpc.ServingHealth;
import io.leadscore.server.metrics.BusinessMetrics;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.readside.LeadScoreStore;
import io.leadscore.server.sla.SlaSweeper;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import io.leadscore.server.storage.MongoConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Once serving, health follows the score projection's lag: NOT_SERVING while the oldest event it has not applied
 * has waited longer than the bound (a balancer then reads from another node), SERVING again once it is back within.
 */
class ReadinessLagTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void healthSaysNotServingWhileTheProjectionIsTooFarBehind() {
        // Given a server whose projection has caught up, with a lag bound of 30 s
        MongoConnection connection = MONGO.connection();
        connection.database().drop();
        LeadScoreStore scores = new LeadScoreStore(connection.database());
        SlaSweeper sweeper = new SlaSweeper(scores, DefaultCommandGateway.builder()
                .commandBus(SimpleCommandBus.builder().build()).build(), BuiltInModels.defaultModel(),
                Clock.systemUTC(), new BusinessMetrics(new SimpleMeterRegistry()), Duration.ofHours(1));
        ServingHealth health = new ServingHealth();
        Readiness readiness = new Readiness(health, () -> true, () -> 0L, connection.availability(), sweeper,
                                            System.nanoTime(), Duration.ofSeconds(30));
        readiness.watch(timer, Duration.ofMillis(10));
        await().atMost(Duration.ofSeconds(10)).until(health::isServing);

        // When the projection falls 45 s behind, then catches up to 2 s
        readiness.projectionLag(Duration.ofSeconds(45));
        boolean servingWhileBehind = health.isServing();
        readiness.projectionLag(Duration.ofSeconds(2));

        // Then health said NOT_SERVING meanwhile and SERVING again after
        assertThat(servingWhileBehind).isFalse();
        assertThat(health.isServing()).isTrue();
        readiness.stopping();
        sweeper.close();
    }
}
