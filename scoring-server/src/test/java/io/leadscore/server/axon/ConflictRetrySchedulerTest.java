package io.leadscore.server.axon;

import io.grpc.Context;
import io.grpc.Deadline;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures the command gateway retries, in which context, and until when. */
class ConflictRetrySchedulerTest {

    private static final Context.Key<String> CALL = Context.key("call");
    private static final CommandMessage<?> COMMAND = GenericCommandMessage.asCommandMessage("record engagement");

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final ConflictRetryScheduler scheduler = new ConflictRetryScheduler(executor, new Random(16));

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aLostRaceIsRetriedInTheContextOfTheCallThatSentIt() throws Exception {
        // given a call with a deadline, and a command that lost a race (the store's duplicate key as its cause)
        CompletableFuture<String> retriedIn = new CompletableFuture<>();
        RuntimeException lostRace = new ConcurrencyException("sequence 7 of lead-1 exists",
                                                             new IllegalStateException("E11000 duplicate key"));

        // when the gateway asks for a retry
        boolean scheduled = Context.current().withValue(CALL, "call-1")
                .withDeadline(Deadline.after(5, TimeUnit.SECONDS), executor)
                .call(() -> scheduler.scheduleRetry(COMMAND, lostRace, failures(1),
                                                    () -> retriedIn.complete(CALL.get() + " "
                                                            + (Context.current().getDeadline() != null))));

        // then it is retried, seeing the call and its deadline
        assertThat(scheduled).isTrue();
        assertThat(retriedIn.get(5, TimeUnit.SECONDS)).isEqualTo("call-1 true");
    }

    @Test
    void aLostCreationRaceWrappedByAxonIsAConflictAndNothingElseIs() {
        assertThat(ConflictRetryScheduler.isConflict(new CommandExecutionException(
                "failed", new AggregateStreamCreationException("lead-1 exists")))).isTrue();
        assertThat(ConflictRetryScheduler.isConflict(
                new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "lead_id", "no lead"))).isFalse();
        assertThat(ConflictRetryScheduler.isConflict(new IllegalStateException("store failed"))).isFalse();
    }

    @Test
    void otherFailuresGoBackToTheCallerAtOnce() {
        assertThat(scheduler.scheduleRetry(COMMAND, new IllegalStateException("store failed"), failures(1),
                                           () -> { })).isFalse();
    }

    @Test
    void noRetryIsScheduledThatCouldNotRunBeforeTheDeadline() throws Exception {
        // given a call whose deadline is closer than the first delay (at least 1 ms)
        boolean scheduled = Context.current().withDeadline(Deadline.after(1, TimeUnit.MILLISECONDS), executor)
                .call(() -> scheduler.scheduleRetry(COMMAND, new ConcurrencyException("lost"), failures(1),
                                                    () -> { }));

        // then the race goes back to the caller
        assertThat(scheduled).isFalse();
    }

    @Test
    void delaysDoubleFromTwoMillisecondsToAHundredWithHalfOfEachRandom() {
        for (int i = 0; i < 100; i++) {
            assertThat(scheduler.delayMillis(1)).isBetween(1L, 2L);
            assertThat(scheduler.delayMillis(4)).isBetween(8L, 16L);
            assertThat(scheduler.delayMillis(30)).isBetween(50L, ConflictRetryScheduler.MAX_DELAY.toMillis());
        }
        assertThat(ConflictRetryScheduler.BUDGET_WITHOUT_DEADLINE).isEqualTo(Duration.ofSeconds(10));
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends Throwable>[]> failures(int count) {
        List<Class<? extends Throwable>[]> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            failures.add(new Class[] {ConcurrencyException.class});
        }
        return failures;
    }
}
