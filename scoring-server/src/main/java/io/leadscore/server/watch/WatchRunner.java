package io.leadscore.server.watch;

import io.grpc.stub.ServerCallStreamObserver;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.projection.LeadScoreStore;
import io.leadscore.v1.WatchLeadsResponse;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Runs each watch on its own thread: a watch mostly waits for the next stored event. */
public final class WatchRunner implements AutoCloseable {

    private final EventStore events;
    private final LeadScoreStore scores;
    private final io.leadscore.server.history.LeadHistory history;
    private final Function<LeadStage, io.leadscore.v1.LeadStage> stages;
    private final ExecutorService threads;

    public WatchRunner(EventStore events, LeadScoreStore scores, io.leadscore.server.history.LeadHistory history,
                       Function<LeadStage, io.leadscore.v1.LeadStage> stages) {
        this.events = events;
        this.scores = scores;
        this.history = history;
        this.stages = stages;
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "leadscore-watch-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start(LeadWatch.Filter filter, String resumeToken, ServerCallStreamObserver<WatchLeadsResponse> call) {
        if (!resumeToken.isEmpty()) {
            ResumeTokens.decode(resumeToken);
        }
        threads.execute(new LeadWatch(events, scores, history, filter, resumeToken, call, stages));
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
