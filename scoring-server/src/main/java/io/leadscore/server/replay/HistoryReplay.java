package io.leadscore.server.replay;

import io.leadscore.server.lead.Lead;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.LeadInformationQualified;
import io.leadscore.server.lead.api.LeadRestaged;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadEvent;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.server.storage.HistorySource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;

import org.bson.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replays the whole stored history, in the order it was stored, through any number of scoring models at once,
 * folding each lead with the same {@code LeadState} the live aggregate uses. Nothing is written: live projections
 * never notice. Backtests and funnel reports both read history through it.
 */
public final class HistoryReplay {

    /** How often progress is reported. */
    private static final long PROGRESS_MILLIS = 250;
    /** Fold threads: the cursor's thread and the database share the machine with them. */
    private static final int FOLD_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final HistorySource source;

    /** Replays the history {@code source} reads. */
    public HistoryReplay(HistorySource source) {
        this.source = source;
    }

    /** Receives progress now and then. */
    @FunctionalInterface
    public interface Progress {
        void report(long eventsRead, long eventsTotal, long leadsSeen);
    }

    /**
     * What a replay found.
     *
     * @param leads       the leads registered in the window, by id
     * @param otherEvents every payload of another aggregate's events of a type the caller asked for, whatever its
     *                    time, in no particular order (it depends on how many threads folded)
     * @param eventsRead  events read (the whole store)
     * @param elapsed     wall time of the replay
     */
    public record Result(List<ReplayedLead> leads, List<Object> otherEvents, long eventsRead, Duration elapsed) {

        /** The other events of {@code type}. */
        public <T> List<T> otherEvents(Class<T> type) {
            return otherEvents.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /**
     * Replays everything stored when the call starts; {@code models} are folded side by side, in order. Leads are
     * independent, so the store is read in its own order (the fastest it offers), leads are split among fold
     * threads by id, and only each lead's events are put in sequence order, by holding back the rare event that
     * arrives before its predecessor. {@code stages} says whether leads keep their recorded stages (the score
     * projection) or each model derives its own (backtests and funnels: what the model would have done).
     */
    public Result replay(List<? extends ScoringModel> models, ReplayWindow window, LeadState.Stages stages,
                         Progress progress) {
        return replay(models, window, stages, Set.of(), progress);
    }

    /**
     * Replays as {@link #replay(List, ReplayWindow, LeadState.Stages, Progress)} does, and also collects the
     * payloads of other aggregates' events whose type is one of {@code otherEvents} (spend, for funnel reports).
     * The replay knows those events by their type alone: what they mean is the business of the caller that asks.
     */
    public Result replay(List<? extends ScoringModel> models, ReplayWindow window, LeadState.Stages stages,
                         Set<Class<?>> otherEvents, Progress progress) {
        long started = System.nanoTime();
        List<Partition> partitions = new ArrayList<>();
        long total = source.headPosition();
        try (HistorySource.History history = source.open();
             PrefetchingReader<Document> documents = new PrefetchingReader<>(history.documents(), FOLD_THREADS)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < FOLD_THREADS; i++) {
                Partition partition = new Partition(i, documents, total, models, window, stages, otherEvents);
                partitions.add(partition);
                Thread thread = new Thread(partition, "leadscore-replay-fold-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    thread.join(PROGRESS_MILLIS);
                    progress.report(documents.read(), Math.max(total, documents.read()),
                                    partitions.stream().mapToLong(Partition::leadsSeen).sum());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        }
        long read = 0;
        List<ReplayedLead> cohort = new ArrayList<>();
        List<Object> collected = new ArrayList<>();
        for (Partition partition : partitions) {
            if (partition.failure != null) {
                throw partition.failure;
            }
            read = Math.max(read, partition.read);
            collected.addAll(partition.otherEvents);
            for (LeadStream stream : partition.streams.values()) {
                stream.drainRemaining(models, window);
                if (stream.lead != null) {
                    cohort.add(stream.lead);
                }
            }
        }
        progress.report(read, Math.max(total, read), cohort.size());
        cohort.sort(Comparator.comparing(ReplayedLead::leadId));
        return new Result(cohort, collected, read, Duration.ofNanos(System.nanoTime() - started));
    }

    /** The leads (and other aggregates) whose id hashes to one fold thread, and that thread's work. */
    private final class Partition implements Runnable {
        private final int index;
        private final PrefetchingReader<Document> documents;
        private final long total;
        private final List<? extends ScoringModel> models;
        private final ReplayWindow window;
        private final LeadState.Stages stages;
        private final Set<Class<?>> otherEventTypes;
        private final Map<String, LeadStream> streams = new HashMap<>();
        private final List<Object> otherEvents = new ArrayList<>();
        private volatile long leadsSeen;
        private long read;
        private volatile RuntimeException failure;

        Partition(int index, PrefetchingReader<Document> documents, long total,
                  List<? extends ScoringModel> models, ReplayWindow window, LeadState.Stages stages,
                  Set<Class<?>> otherEventTypes) {
            this.index = index;
            this.stages = stages;
            this.otherEventTypes = otherEventTypes;
            this.documents = documents;
            this.total = total;
            this.models = models;
            this.window = window;
        }

        long leadsSeen() {
            return leadsSeen;
        }

        @Override
        public void run() {
            try {
                for (List<Document> batch = documents.next(index); batch != null;
                     batch = documents.next(index)) {
                    read += batch.size();
                    for (Document document : batch) {
                        // The aggregate id is among a document's first fields: cheap to route by.
                        String aggregateId = source.aggregateIdOf(document);
                        if (Math.floorMod(aggregateId.hashCode(), FOLD_THREADS) == index) {
                            fold(document);
                        }
                    }
                    leadsSeen = streams.size();
                }
            } catch (RuntimeException e) {
                failure = e;
                while (documents.next(index) != null) {
                    // keep draining, so that a failed fold never blocks the reader
                }
            }
        }

        private void fold(Document document) {
            TrackedEventMessage<?> event = source.decode(document);
            if (!(event instanceof DomainEventMessage<?> domainEvent)
                || event.trackingToken().position().orElse(0) > total) {
                return; // not an aggregate's event, or stored after the replay started
            }
            // Leads first: nearly every event is theirs, and the aggregate type is a plain string on the message.
            if (Lead.class.getSimpleName().equals(domainEvent.getType())) {
                streams.computeIfAbsent(domainEvent.getAggregateIdentifier(), id -> new LeadStream(stages))
                       .offer(domainEvent, models, window);
            } else if (!otherEventTypes.isEmpty() && otherEventTypes.contains(event.getPayloadType())) {
                otherEvents.add(event.getPayload());
            }
        }
    }

    /**
     * Reads every stored document once with a bare cursor, decoding nothing: the yardstick a replay's read speed is
     * compared with. Answers how many documents it read.
     */
    public long scanRaw() {
        return source.scanRaw();
    }

    /** Stages other models recorded, which a deriving fold decides itself: never deserialized there. */
    private static final Set<Class<?>> RECORDED_STAGES = Set.of(LeadQualified.class, LeadInformationQualified.class,
                                                                LeadRestaged.class);

    /** One lead's events on their way into its fold, in sequence order. */
    private static final class LeadStream {
        private final LeadState.Stages stages;
        private long next;
        private boolean outsideWindow;
        private ReplayedLead lead;
        /** Events that arrived before their predecessor, by sequence number; usually null. */
        private TreeMap<Long, DomainEventMessage<?>> early;

        LeadStream(LeadState.Stages stages) {
            this.stages = stages;
        }

        void offer(DomainEventMessage<?> event, List<? extends ScoringModel> models, ReplayWindow window) {
            long sequence = event.getSequenceNumber();
            if (sequence != next) {
                if (sequence > next) {
                    if (early == null) {
                        early = new TreeMap<>();
                    }
                    early.put(sequence, event);
                }
                return; // below next: a duplicate read, already folded
            }
            apply(event, models, window);
            while (early != null && !early.isEmpty() && early.firstKey() == next) {
                apply(early.pollFirstEntry().getValue(), models, window);
            }
        }

        /** Events still held back follow a hole in the sequence (never seen in practice): fold them in order. */
        void drainRemaining(List<? extends ScoringModel> models, ReplayWindow window) {
            while (early != null && !early.isEmpty()) {
                apply(early.pollFirstEntry().getValue(), models, window);
            }
        }

        private void apply(DomainEventMessage<?> event, List<? extends ScoringModel> models, ReplayWindow window) {
            next = event.getSequenceNumber() + 1;
            if (outsideWindow
                || stages == LeadState.Stages.DERIVED && RECORDED_STAGES.contains(event.getPayloadType())) {
                return;
            }
            LeadEvent payload = (LeadEvent) event.getPayload();
            if (lead == null) {
                if (!(payload instanceof LeadRegistered registered) || !window.contains(registered.registeredAt())) {
                    outsideWindow = true;
                    return;
                }
                lead = new ReplayedLead(registered, models.size(), stages);
            }
            Instant factTime = LeadState.factTime(payload);
            if (factTime != null && !factTime.isBefore(window.to())) {
                return; // facts after the window are not scored
            }
            for (int i = 0; i < models.size(); i++) {
                lead.states()[i].apply(payload, event.getSequenceNumber(), models.get(i));
            }
            if (factTime != null) {
                lead.recordFact(factTime);
            }
        }
    }

}
