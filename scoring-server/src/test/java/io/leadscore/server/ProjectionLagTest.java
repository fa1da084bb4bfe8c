package io.leadscore.server;

import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection's lag is how long the oldest stored event it has not applied has waited. */
class ProjectionLagTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A segment of a processor at a position, as Axon reports it. */
    private static EventTrackerStatus at(long position) {
        return new EventTrackerStatus() {
            @Override
            public Segment getSegment() {
                return Segment.ROOT_SEGMENT;
            }

            @Override
            public boolean isCaughtUp() {
                return false;
            }

            @Override
            public boolean isReplaying() {
                return false;
            }

            @Override
            public boolean isMerging() {
                return false;
            }

            @Override
            public OptionalLong mergeCompletedPosition() {
                return OptionalLong.empty();
            }

            @Override
            public TrackingToken getTrackingToken() {
                return new GlobalSequenceTrackingToken(position);
            }

            @Override
            public boolean isErrorState() {
                return false;
            }

            @Override
            public Throwable getError() {
                return null;
            }

            @Override
            public OptionalLong getCurrentPosition() {
                return OptionalLong.of(position);
            }

            @Override
            public OptionalLong getResetPosition() {
                return OptionalLong.empty();
            }
        };
    }

    @Test
    void theLagIsTheWaitOfTheFirstEventAfterTheSlowestSegment() {
        // Given segments at 120 and 100, the store's head at 130, and position 101 stored 45 s ago
        List<Duration> told = new ArrayList<>();
        List<Long> asked = new ArrayList<>();
        ProjectionLag lag = new ProjectionLag(() -> Map.of(0, at(120), 1, at(100)), () -> 130L, position -> {
            asked.add(position);
            return Optional.of(NOW.minusSeconds(45));
        }, CLOCK, told::add);

        // When it is measured
        lag.measure();

        // Then it is 45 s, asked after the slowest segment, and readiness was told
        assertThat(asked).containsExactly(100L);
        assertThat(lag.last()).isEqualTo(Duration.ofSeconds(45));
        assertThat(lag.seconds()).isEqualTo(45.0);
        assertThat(told).containsExactly(Duration.ofSeconds(45));
    }

    @Test
    void aProjectionAtTheHeadHasNoLagAndTheStoreIsNotAsked() {
        List<Long> asked = new ArrayList<>();
        ProjectionLag lag = new ProjectionLag(() -> Map.of(0, at(130)), () -> 130L, position -> {
            asked.add(position);
            return Optional.of(NOW.minusSeconds(45));
        }, CLOCK, told -> { });

        lag.measure();

        assertThat(lag.last()).isEqualTo(Duration.ZERO);
        assertThat(asked).isEmpty();
    }

    @Test
    void positionsNotFoundNearbyCountAsNoLagRatherThanAGuess() {
        // Gaps after the token (appends that failed) hold no event to date the lag by.
        ProjectionLag lag = new ProjectionLag(() -> Map.of(0, at(10)), () -> 500L, position -> Optional.empty(),
                                              CLOCK, told -> { });

        lag.measure();

        assertThat(lag.last()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aProcessorWithoutSegmentsKeepsTheLastMeasurement() {
        // Stopped for a rebuild (rows stay readable): nothing to measure from, not "behind since the first event".
        List<Map<Integer, EventTrackerStatus>> segments = new ArrayList<>(List.of(Map.of(0, at(100))));
        List<Duration> told = new ArrayList<>();
        ProjectionLag lag = new ProjectionLag(() -> segments.get(0), () -> 130L,
                                              position -> Optional.of(NOW.minusSeconds(position == 0 ? 86_400 : 3)),
                                              CLOCK, told::add);
        lag.measure();

        segments.set(0, Map.of());
        lag.measure();

        assertThat(lag.last()).isEqualTo(Duration.ofSeconds(3));
        assertThat(told).containsExactly(Duration.ofSeconds(3));
    }
}
