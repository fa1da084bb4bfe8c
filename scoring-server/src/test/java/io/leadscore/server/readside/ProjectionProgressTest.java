package io.leadscore.server.readside;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads that wait for a store position are released when the projection has applied it, and only then. */
class ProjectionProgressTest {

    private static final long HEAD = 100;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<TrackingToken> processor = new AtomicReference<>();
    private final ProjectionProgress progress =
            new ProjectionProgress(() -> Optional.ofNullable(processor.get()), () -> HEAD, timer);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private static TrackingToken token(long index, Long... gaps) {
        return GapAwareTrackingToken.newInstance(index, List.of(gaps));
    }

    @Test
    void aWaitEndsWhenABatchThroughItsPositionIsCommitted() throws Exception {
        // Given a projection at position 40, and a read waiting for 42
        progress.advancedTo(token(40));
        CompletableFuture<Long> read = progress.await(42, Duration.ofSeconds(5));
        boolean doneBefore = read.isDone();

        // When a batch through 45 is committed
        progress.advancedTo(token(45));

        // Then the read goes on, and the projection says where it is
        assertThat(doneBefore).isFalse();
        assertThat(read.get(1, TimeUnit.SECONDS)).isEqualTo(45);
        assertThat(progress.appliedPosition()).isEqualTo(45);
    }

    @Test
    void aPositionStillMissingBelowTheIndexIsNotPassed() {
        // Given a projection at 45 that has not seen position 42 yet (a writer that has not committed it)
        progress.advancedTo(token(45, 42L));

        // When a read waits for 42, and another for 44
        CompletableFuture<Long> gap = progress.await(42, Duration.ofSeconds(5));
        CompletableFuture<Long> past = progress.await(44, Duration.ofSeconds(5));

        // Then only the one past the gap goes on
        assertThat(gap).isNotDone();
        assertThat(past).isCompletedWithValue(45L);
    }

    @Test
    void aProcessorThatMovedWithoutABatchIsFoundByThePoll() throws Exception {
        // Given a read waiting for 60 while the projection reported nothing
        CompletableFuture<Long> read = progress.await(60, Duration.ofSeconds(5));

        // When the processor jumps to 90 without a batch of lead events (a rebuild to the head)
        processor.set(token(90));

        // Then the poll releases the read
        assertThat(read.get(2, TimeUnit.SECONDS)).isEqualTo(90);
    }

    @Test
    void aProcessorStatusBehindTheLastCommittedBatchDoesNotTakeTheProgressBack() {
        // Given a batch through 45 committed, the processor's status still at 40 (it follows a moment later)
        progress.advancedTo(token(45));
        progress.advancedTo(token(40));

        // When a read waits for 44, then the progress is still at 45
        assertThat(progress.await(44, Duration.ofSeconds(5))).isCompletedWithValue(45L);
        assertThat(progress.appliedPosition()).isEqualTo(45);
    }

    @Test
    void aWaitThatRunsOutIsUnavailable() {
        // Given a projection stuck at 10
        progress.advancedTo(token(10));

        // When a read waits 50 ms for 20
        CompletableFuture<Long> read = progress.await(20, Duration.ofMillis(50));

        // Then it fails as unavailable, naming where the projection is
        assertThatThrownBy(() -> read.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LeadscoreException.class)
                .satisfies(e -> assertThat(((LeadscoreException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("at 10");
    }

    @Test
    void aPositionBeyondTheHeadIsOutOfRangeAndNoPositionWaitsForNothing() {
        // When reads ask for a position past the store's head, and for none
        CompletableFuture<Long> beyond = progress.await(HEAD + 1, Duration.ofSeconds(5));
        CompletableFuture<Long> none = progress.await(0, Duration.ofSeconds(5));

        // Then the first is refused at once and the second answered at once
        assertThat(beyond).isCompletedExceptionally();
        assertThatThrownBy(beyond::join).cause()
                .satisfies(e -> assertThat(((LeadscoreException) e).code()).isEqualTo(ErrorCode.OUT_OF_RANGE));
        assertThat(none).isCompletedWithValue(0L);
    }
}
