package io.leadscore.server.readside;

import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.LeadErased;
import io.leadscore.server.lead.api.LeadEvent;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.scoring.ScoringModel;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps every lead's score, computed by the same fold ({@link LeadState}) and the same scoring function as the
 * aggregate. Idempotent on replay: an event at or below a row's version is skipped.
 *
 * <p>A lead's folded state is cached; on a miss it is rebuilt from the lead's own events (exact-key reads), up to
 * the event being handled, so memory stays bounded while every row can still be recomputed.
 */
@ProcessingGroup(LeadScoreProjection.PROCESSING_GROUP)
public class LeadScoreProjection {

    public static final String PROCESSING_GROUP = "lead-scores";
    private static final String BATCH_RESOURCE = LeadScoreProjection.class.getName() + ".batch";
    private static final String PROGRESS_RESOURCE = LeadScoreProjection.class.getName() + ".progress";

    private final LeadScoreStore store;
    private final ScoringModel model;
    private final EventStorageEngine events;
    private final LeadFolds states;
    private final LongAdder applied = new LongAdder();
    private final java.util.function.Consumer<String> keyShredder;
    private final java.util.function.Consumer<TrackingToken> committedThrough;

    /** A projection with folds of its own that keeps no keys of personal data (tests of the scores alone). */
    public LeadScoreProjection(LeadScoreStore store, ScoringModel model, EventStorageEngine events, int cachedLeads) {
        this(store, model, events, new LeadFolds(cachedLeads), leadId -> { }, token -> { });
    }

    /**
     * @param folds       the folded leads, shared with history queries
     * @param keyShredder destroys a lead's key of personal data when its erasure is projected
     * @param committedThrough told the token of a batch's last event once the batch is committed
     *                         ({@link ProjectionProgress#advancedTo})
     */
    public LeadScoreProjection(LeadScoreStore store, ScoringModel model, EventStorageEngine events, LeadFolds folds,
                               java.util.function.Consumer<String> keyShredder,
                               java.util.function.Consumer<TrackingToken> committedThrough) {
        this.committedThrough = committedThrough;
        this.store = store;
        this.model = model;
        this.events = events;
        this.states = folds;
        this.keyShredder = keyShredder;
    }

    /**
     * Every event of a lead's stream, whatever its type: the fold ({@link LeadState}) says what each means. An
     * erasure also destroys the lead's key (again): EraseLead does so before it answers; this makes it happen even
     * when the server died between storing the erasure and destroying the key, because every stored event reaches
     * here.
     */
    @EventHandler
    void on(LeadEvent event, @SequenceNumber long sequence, ReplayStatus replay, TrackingToken token) {
        if (event instanceof LeadErased) {
            keyShredder.accept(event.leadId());
        }
        apply(event.leadId(), event, sequence, replay.isReplay());
        if (CurrentUnitOfWork.isStarted() && token != null) {
            batchProgress().set(token);
        }
    }

    /** The token of the batch's last lead event, reported once the batch (rows and token) is committed. */
    private java.util.concurrent.atomic.AtomicReference<TrackingToken> batchProgress() {
        return CurrentUnitOfWork.get().root().getOrComputeResource(PROGRESS_RESOURCE, key -> {
            var last = new java.util.concurrent.atomic.AtomicReference<TrackingToken>();
            CurrentUnitOfWork.get().root().afterCommit(uow -> committedThrough.accept(last.get()));
            return last;
        });
    }

    /** Events applied since this projection was created (replays included, skipped duplicates not). */
    public long appliedEvents() {
        return applied.sum();
    }

    /** Counts events applied outside the processor (a {@link ProjectionRebuild}). */
    void countApplied(long events) {
        applied.add(events);
    }

    /** Drops every cached fold, before a {@link ProjectionRebuild} hands in its own ({@link #holdFold}). */
    void forgetFolds() {
        states.forgetAll();
    }

    /** Keeps a lead's fold computed by a {@link ProjectionRebuild} (the processor is stopped meanwhile). */
    void holdFold(String leadId, LeadState fold) {
        states.put(leadId, fold);
    }

    /**
     * A replay (a rebuild, or a newly published model) recomputes every row from the start. Rows stay readable
     * meanwhile: each is replaced when its lead's events have been replayed, so GetScore never loses a lead.
     */
    @ResetHandler
    void onReset() {
        states.forgetAll();
    }

    void apply(String leadId, LeadEvent event, long sequence, boolean replaying) {
        LeadState cached = states.get(leadId);
        if (cached != null && alreadyFolded(leadId, cached, sequence)) {
            return;
        }
        // After a restart, events already in a stored row are skipped; a replay recomputes them all.
        LeadSnapshot current = store.find(leadId).orElse(null);
        if (!replaying && current != null && current.version() >= sequence) {
            return;
        }
        LeadSnapshot row = cached == null && !replaying ? rowWithoutFold(current, event, sequence) : null;
        if (row != null) {
            write(leadId, row);
            return;
        }
        LeadState state = stateBefore(leadId, sequence);
        // History queries read and extend the same fold: they hold its lock too, so check again under it.
        synchronized (state) {
            if (state.version() >= sequence) {
                row = rowBehind(leadId, state);
            } else {
                state.apply(event, sequence, model);
                row = state.snapshot();
            }
        }
        if (row != null) {
            write(leadId, row);
        }
    }

    /**
     * Whether the fold holds the event already: replayed again, or brought ahead of this processor by a history
     * query reading the lead's newer events. The row then follows the fold where it is behind.
     */
    private boolean alreadyFolded(String leadId, LeadState fold, long sequence) {
        LeadSnapshot row;
        synchronized (fold) {
            if (fold.version() < sequence) {
                return false;
            }
            row = rowBehind(leadId, fold);
        }
        if (row != null) {
            write(leadId, row);
        }
        return true;
    }

    /** The fold's row when the stored row is behind it (under the fold's lock), else null. */
    private LeadSnapshot rowBehind(String leadId, LeadState fold) {
        LeadSnapshot current = store.find(leadId).orElse(null);
        return fold.isRegistered() && model.version().equals(fold.scoredBy())
               && (current == null || current.version() < fold.version()) ? fold.snapshot() : null;
    }

    private void write(String leadId, LeadSnapshot row) {
        applied.increment();
        store.put(row);
        if (CurrentUnitOfWork.isStarted()) {
            pendingWrites().put(leadId, row);
        } else {
            store.persist(List.of(row));
        }
    }

    /**
     * The next row of a lead that is not folded in memory, when the event changes nothing a fold computes: an SLA
     * breach recorded for a long-idle MQL then costs a row update instead of reading the lead's whole history.
     * Only on top of the row just before it, scored by the active model (else the fold would rescore).
     */
    private LeadSnapshot rowWithoutFold(LeadSnapshot current, LeadEvent event, long sequence) {
        if (current == null || current.version() != sequence - 1 || current.score() == null
            || !model.version().equals(current.score().modelVersion())) {
            return null;
        }
        return LeadState.withoutFold(current, event, sequence);
    }

    private LeadState stateBefore(String leadId, long sequence) {
        LeadState cached = states.get(leadId);
        if (cached != null) {
            synchronized (cached) {
                if (cached.version() >= sequence - 1) {
                    return cached;
                }
            }
        }
        LeadState rebuilt = new LeadState();
        if (sequence > 0) {
            DomainEventStream stream = events.readEvents(leadId, 0);
            while (stream.hasNext() && stream.peek().getSequenceNumber() < sequence) {
                DomainEventMessage<?> message = stream.next();
                rebuilt.apply((LeadEvent) message.getPayload(), message.getSequenceNumber(), model);
            }
        }
        states.put(leadId, rebuilt);
        return rebuilt;
    }

    /**
     * Rows changed in the current batch, written in one bulk upsert when the batch commits, before the processor
     * stores its token: a crash can only make events replay (and replays are skipped by version), never lose them.
     */
    private Map<String, LeadSnapshot> pendingWrites() {
        return CurrentUnitOfWork.get().root().getOrComputeResource(BATCH_RESOURCE, key -> {
            Map<String, LeadSnapshot> batch = new LinkedHashMap<>();
            CurrentUnitOfWork.get().root().onPrepareCommit(uow -> store.persist(batch.values()));
            return batch;
        });
    }
}
