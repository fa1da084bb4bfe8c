package io.leadscore.server.axon;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.AbstractSnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;

import java.io.Serializable;

/**
 * Snapshots an aggregate once the events since its last snapshot reach {@code minimum} or a {@code share} of its
 * whole history, whichever is more. A snapshot writes the whole folded aggregate, so a fixed interval costs a long
 * history its size again and again (a lead of 100,000 engagements rewrote megabytes every 100 events); a share keeps
 * the cost per event constant while a reload still reads at most that share of the history after the snapshot.
 */
public final class GrowingSnapshotTrigger implements SnapshotTriggerDefinition {

    private final Snapshotter snapshotter;
    private final int minimum;
    private final double share;

    public GrowingSnapshotTrigger(Snapshotter snapshotter, int minimum, double share) {
        this.snapshotter = snapshotter;
        this.minimum = minimum;
        this.share = share;
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new Trigger(snapshotter, aggregateType, minimum, share);
    }

    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof Trigger kept) {
            kept.setSnapshotter(snapshotter);
            return kept;
        }
        return prepareTrigger(aggregateType);
    }

    /** Counts events since the last snapshot against the aggregate's length (its latest sequence number). */
    private static final class Trigger extends AbstractSnapshotTrigger implements Serializable {
        private final int minimum;
        private final double share;
        private long sinceSnapshot;
        private long length;

        Trigger(Snapshotter snapshotter, Class<?> aggregateType, int minimum, double share) {
            super(snapshotter, aggregateType);
            this.minimum = minimum;
            this.share = share;
        }

        @Override
        public void eventHandled(EventMessage<?> message) {
            sinceSnapshot++;
            if (message instanceof DomainEventMessage<?> domain) {
                length = domain.getSequenceNumber() + 1;
            }
            super.eventHandled(message);
        }

        @Override
        protected boolean exceedsThreshold() {
            return sinceSnapshot >= Math.max(minimum, (long) (length * share));
        }

        @Override
        protected void reset() {
            sinceSnapshot = 0;
        }
    }
}
