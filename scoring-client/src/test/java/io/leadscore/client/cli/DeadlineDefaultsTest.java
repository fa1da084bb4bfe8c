package io.leadscore.client.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadline each command's call carries when the command line gives none, and which given option wins: calls
 * have 10 seconds; those that read the whole history (backtest, funnel, model publish and rollback) their longer
 * {@code --timeout} default; a watch none. A {@code --deadline} given replaces every default, and a command's own
 * {@code --timeout} wins over it.
 */
class DeadlineDefaultsTest {

    private static final Duration SLACK = Duration.ofSeconds(2);

    private final EveryRpc server = EveryRpc.refusingAtOnce();
    private final CliRun cli = new CliRun(server.services());

    @AfterEach
    void stop() {
        cli.close();
    }

    @Test
    void aCallHasTenSecondsUnlessTheCommandLineSaysOtherwise() {
        assertThat(deadlineOf("score", "lead-1")).isCloseTo(Duration.ofSeconds(10), SLACK);
        assertThat(deadlineOf("accept", "lead-1", "--actor", "sam", "--budget", "b", "--authority", "a", "--need", "n",
                              "--timeline", "t")).isCloseTo(Duration.ofSeconds(10), SLACK);
        assertThat(deadlineOf("--deadline", "3s", "score", "lead-1")).isCloseTo(Duration.ofSeconds(3), SLACK);
        assertThat(deadlineOf("score", "lead-1", "--deadline", "2m")).isCloseTo(Duration.ofMinutes(2), SLACK);
    }

    @Test
    void callsThatReadTheWholeHistoryHaveTheirLongerTimeout() {
        assertThat(deadlineOf("backtest", "--version", "default@1")).isCloseTo(Duration.ofMinutes(30), SLACK);
        assertThat(deadlineOf("funnel")).isCloseTo(Duration.ofMinutes(10), SLACK);
        assertThat(deadlineOf("model", "publish", "default@2")).isCloseTo(Duration.ofMinutes(30), SLACK);
        assertThat(deadlineOf("model", "rollback")).isCloseTo(Duration.ofMinutes(30), SLACK);
    }

    @Test
    void aDeadlineGivenReplacesTheLongerTimeoutAndTheCommandsOwnTimeoutWinsOverIt() {
        assertThat(deadlineOf("--deadline", "3s", "backtest", "--version", "default@1"))
                .isCloseTo(Duration.ofSeconds(3), SLACK);
        assertThat(deadlineOf("--deadline", "3s", "backtest", "--version", "default@1", "--timeout", "45m"))
                .isCloseTo(Duration.ofMinutes(45), SLACK);
        assertThat(deadlineOf("--deadline", "3s", "funnel", "--timeout", "1m")).isCloseTo(Duration.ofMinutes(1), SLACK);
        assertThat(deadlineOf("--deadline", "3s", "model", "publish", "default@2", "--timeout", "1m"))
                .isCloseTo(Duration.ofMinutes(1), SLACK);
    }

    @Test
    void aWatchRunsWithoutADeadlineUnlessOneIsGiven() {
        assertThat(deadlineOf("watch")).isNull();
        assertThat(deadlineOf("--deadline", "1m", "watch")).isCloseTo(Duration.ofMinutes(1), SLACK);
    }

    @Test
    void aDeadlineThatIsNotADurationIsAUsageErrorBeforeAnythingIsSent() {
        for (String wrong : new String[] {"10", "ten s", "0s", "-5s"}) {
            CliRun.Result result = CliRun.offline("--deadline", wrong, "score", "lead-1");

            assertThat(result.exit()).as("exit for %s", wrong).isEqualTo(ExitCodes.USAGE);
            assertThat(result.err().lines()).as("stderr for %s", wrong).hasSize(1).first().asString()
                                            .contains("--deadline").contains("is not a duration such as 500ms");
        }
        assertThat(CliRun.offline("backtest", "--version", "default@1", "--timeout", "soon").exit())
                .isEqualTo(ExitCodes.USAGE);
    }

    /** The time the deadline of the command's one call left it when the server saw it; null without a deadline. */
    private Duration deadlineOf(String... args) {
        server.forget();
        CliRun.Result result = cli.run(args);

        assertThat(result.err()).as("the test server's refusal").contains("FAILED_PRECONDITION");
        assertThat(server.seen()).as("calls of %s", String.join(" ", args)).hasSize(1);
        return server.seen().get(0).timeLeft();
    }
}
