package io.leadscore.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.ChannelSecurity;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.grpc.security.CallerRegistry;
import io.leadscore.server.grpc.security.ServerSecurity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Bearer tokens over plaintext beyond loopback: anyone on the path could read and replay them, so the server refuses
 * to start that way, in one line that names the fix, unless told explicitly with {@code --allow-plaintext-tokens}
 * (TLS ends in front of it), and then it says so loudly. On loopback, tokens over plaintext stay allowed.
 */
class PlaintextTokensTest {

    private static final String TOKEN = "reader-token-for-the-plaintext-test";

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withSystemClock().overNetty().startedByTheTest();
    private Path callers;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void setUp() throws IOException {
        callers = Files.writeString(leadscore.directory().resolve("callers.yaml"), """
                callers:
                  - name: reporting
                    roles: [reader]
                    token_sha256: %s
                """.formatted(CallerRegistry.sha256Hex(TOKEN)));
        logged.start();
        rootLogger().addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        rootLogger().detachAppender(logged);
    }

    @Test
    void tokensOverPlaintextBeyondLoopbackAreRefusedInOneLineNamingTheFix() {
        // given a callers file, no TLS and an address beyond loopback
        StringWriter err = new StringWriter();
        CommandLine command = ServerMain.commandLine(new ServerMain());
        command.setErr(new PrintWriter(err));

        // when the server is started (a server that does start runs until stopped: the timeout fails the test)
        int exit;
        try {
            exit = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> command.execute(
                    "--bind-address", "0.0.0.0", "--grpc-port", String.valueOf(FreePorts.outsideEphemeralRange()), "--metrics-port", "-1",
                    "--data-dir", leadscore.dataDir().toString(), "--callers-file", callers.toString()));
        } finally {
            restoreTestLogging();
        }

        // then it refuses before touching the store, in one line that names both ways out
        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("0.0.0.0").contains("--tls-cert").contains("--tls-key")
                                .contains("--allow-plaintext-tokens");
        assertThat(leadscore.dataDir()).doesNotExist();
    }

    @Test
    void withAllowPlaintextTokensTheServerStartsWarnsAndSaysSoInItsStartLine() throws IOException {
        // given the same configuration with --allow-plaintext-tokens
        ServerMain main = new ServerMain();
        ServerMain.commandLine(main).parseArgs("--bind-address", "0.0.0.0", "--callers-file", callers.toString(),
                                               "--allow-plaintext-tokens");
        ServerSecurity security = main.security();

        // when it starts on every address
        leadscore.start(config -> config.withBindAddress("0.0.0.0").withSecurity(security));

        // then it warns, its start-up line says so, and it takes the token over plaintext
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN)
                               .extracting(ILoggingEvent::getFormattedMessage)
                               .anySatisfy(message -> assertThat(message).contains("--allow-plaintext-tokens")
                                                                         .contains("plaintext"));
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                               .filteredOn(message -> message.startsWith("Leadscore listening"))
                               .singleElement()
                               .satisfies(line -> assertThat(line).contains("--allow-plaintext-tokens"));
        ManagedChannel channel = leadscore.closeWithServer(
                new ChannelSecurity(false, null, null, null, TOKEN).open("127.0.0.1:" + leadscore.server().grpcPort()));
        assertThatThrownBy(() -> LeadscoreClient.create(channel, Duration.ofSeconds(5)).getScore("no-such-lead"))
                .isInstanceOf(StatusRuntimeException.class)
                // authenticated and authorized: the lead does not exist
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void onLoopbackTokensOverPlaintextNeedNoFlag() {
        // given a callers file, no TLS and loopback
        ServerSecurity security = new ServerSecurity(null, null, null, callers);

        // when the server starts, then it does, without the warning
        leadscore.start(config -> config.withSecurity(security));
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                               .noneMatch(message -> message.contains("--allow-plaintext-tokens"));
    }

    /** The command reconfigures logging for the server (--log-format); the tests after this one want theirs back. */
    private static void restoreTestLogging() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (ch.qos.logback.core.joran.spi.JoranException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Logger rootLogger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
