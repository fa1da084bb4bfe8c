package io.leadscore.server.readside;

import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs each watch on its own thread: a watch mostly waits for the next stored event. */
public final class WatchRunner implements AutoCloseable {

    private final EventStore events;
    private final LeadScoreStore scores;
    private final LeadHistory history;
    private final ExecutorService threads;

    public WatchRunner(EventStore events, LeadScoreStore scores, LeadHistory history) {
        this.events = events;
        this.scores = scores;
        this.history = history;
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "leadscore-watch-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts a watch; a resume token that is not one is refused here, before any thread starts. */
    public void start(LeadWatch.Filter filter, String resumeToken, AlertStream alerts) {
        if (!resumeToken.isEmpty()) {
            ResumeTokens.decode(resumeToken);
        }
        threads.execute(new LeadWatch(events, scores, history, filter, resumeToken, alerts));
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
