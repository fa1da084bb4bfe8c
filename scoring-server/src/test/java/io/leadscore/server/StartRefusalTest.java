package io.leadscore.server;

import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server that may not run as configured says so before it touches the data. */
class StartRefusalTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void anInFlightLimitOfZeroIsRefusedBeforeTheStoreIsOpened(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        ServerConfig config = ServerConfig.forTests(dataDir).withMaxInFlight(0);

        assertThatThrownBy(() -> LeadscoreServer.start(config, InProcessServerBuilder.forName("refused"), CLOCK))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(Files.exists(dataDir) ? Files.list(dataDir).toList() : java.util.List.of()).isEmpty();
    }
}
