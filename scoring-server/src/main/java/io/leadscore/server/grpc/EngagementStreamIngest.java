package io.leadscore.server.grpc;

import io.leadscore.server.grpc.status.GrpcErrors;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.EngagementsOutcome;
import io.leadscore.server.lead.api.RecordEngagementCommand;
import io.leadscore.server.lead.api.RecordEngagementsCommand;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.v1.EngagementRejection;
import io.leadscore.v1.StreamEngagementsRequest;
import io.leadscore.v1.StreamEngagementsResponse;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code StreamEngagements} call. Up to {@value #IN_FLIGHT} engagements are processed at once, under gRPC flow
 * control: a new message is requested only when one completes, so a fast client cannot queue without bound. Each
 * lead has at most one command in flight; its engagements that arrive meanwhile go together as its next command
 * (one append, in the order sent), and different leads' commands share group commits. The answer is sent once the
 * client has half-closed and every engagement is done.
 */
final class EngagementStreamIngest implements StreamObserver<StreamEngagementsRequest> {

    static final int IN_FLIGHT = 64;
    static final int MAX_REJECTIONS = 1000;
    static final int MAX_SCORES = 10_000;

    private final ServerCallStreamObserver<StreamEngagementsResponse> response;
    private final LeadCommands commands;
    private final LeadRequests requests;
    private final StreamPacer pacer;

    private long received;
    private long accepted;
    private long duplicates;
    private long highestPosition;
    private long rejected;
    private int inFlight;
    private boolean halfClosed;
    private boolean finished;
    private final List<EngagementRejection> rejections = new ArrayList<>();
    private final Map<String, LeadSnapshot> latestScores = new HashMap<>();
    /**
     * The leads with a command in flight, each with the engagements that arrived since: they go as the lead's
     * next command once that one is done.
     */
    private final Map<String, List<Pending>> waiting = new HashMap<>();
    /** This call's context: its deadline and caller, for commands sent from completions. */
    private final Context call = Context.current();

    EngagementStreamIngest(ServerCallStreamObserver<StreamEngagementsResponse> response,
                           LeadCommands commands, LeadRequests requests, StreamPacer pacer) {
        this.response = response;
        this.commands = commands;
        this.requests = requests;
        this.pacer = pacer;
        response.disableAutoRequest();
        response.request(IN_FLIGHT);
    }

    @Override
    public void onNext(StreamEngagementsRequest message) {
        long index;
        synchronized (this) {
            index = received++;
        }
        String eventId = message.getEngagement().getEventId();
        RecordEngagementCommand command;
        try {
            command = requests.streamedEngagement(message);
        } catch (LeadscoreException e) {
            // One invalid engagement is one rejection in the summary; the stream goes on.
            reject(index, eventId, e);
            requestNext();
            return;
        }
        Pending pending = new Pending(index, eventId, command.engagement());
        synchronized (this) {
            inFlight++;
            List<Pending> waitingForLead = waiting.get(command.leadId());
            if (waitingForLead != null) {
                waitingForLead.add(pending); // sent with the lead's next batch, once its command in flight is done
                return;
            }
            waiting.put(command.leadId(), new ArrayList<>());
        }
        send(command.leadId(), List.of(pending));
    }

    /** One engagement of the stream on its way: where it was in the stream, for the summary. */
    private record Pending(long index, String eventId, EngagementFact engagement) {
    }

    /**
     * Sends a lead's engagements as one command and, once it is done, the lead's engagements that arrived
     * meanwhile as the next one. A lead's engagements are so stored in the order they were sent (a lead qualifies
     * on the engagement that made it, not on whichever won a race), many in one append when they come fast, while
     * different leads run side by side. A batch sent from a completion is sent in this call's context, which
     * carries its deadline and its caller.
     */
    private void send(String leadId, List<Pending> batch) {
        Context previous = call.attach();
        CompletableFuture<EngagementsOutcome> done;
        try {
            done = commands.send(new RecordEngagementsCommand(
                    leadId, batch.stream().map(Pending::engagement).toList()));
        } catch (RuntimeException refused) {
            // A bus that refuses at once (the server stopping): the batch fails like any other, and the stream
            // still ends, where a throw from a completion would be lost.
            done = CompletableFuture.failedFuture(refused);
        } finally {
            call.detach(previous);
        }
        done.whenComplete((outcome, failure) -> {
            for (int i = 0; i < batch.size(); i++) {
                Pending pending = batch.get(i);
                if (failure != null) {
                    reject(pending.index(), pending.eventId(), GrpcErrors.classify(failure));
                } else {
                    recordOutcome(outcome.effects().get(i), outcome.lead(), outcome.position());
                }
            }
            List<Pending> next;
            synchronized (this) {
                inFlight -= batch.size();
                next = waiting.remove(leadId);
                if (next != null && !next.isEmpty()) {
                    waiting.put(leadId, new ArrayList<>());
                }
            }
            batch.forEach(pending -> requestNext());
            if (next != null && !next.isEmpty()) {
                send(leadId, next);
            }
            finishIfDone();
        });
    }

    /** One message done, room for the next: asked for when the stream's rate allows. */
    private void requestNext() {
        pacer.pace(() -> response.request(1));
    }

    private synchronized void recordOutcome(CommandOutcome.Effect effect, LeadSnapshot lead, long position) {
        if (effect == CommandOutcome.Effect.DUPLICATE) {
            duplicates++;
        } else {
            accepted++;
        }
        highestPosition = Math.max(highestPosition, position);
        latestScores.merge(lead.leadId(), lead, (old, now) -> now.version() >= old.version() ? now : old);
    }

    private synchronized void reject(long index, String eventId, LeadscoreException error) {
        rejected++;
        commands.engagementRejected(GrpcErrors.statusOf(error.code()));
        if (rejections.size() < MAX_REJECTIONS) {
            rejections.add(EngagementRejection.newBuilder()
                                   .setIndex(index)
                                   .setEventId(eventId)
                                   .setCode(GrpcErrors.statusOf(error.code()).name())
                                   .setField(error.field())
                                   .setReason(error.reason())
                                   .build());
        }
    }

    @Override
    public void onError(Throwable t) {
        // The client cancelled or the connection broke: engagements already sent are stored or fail on their own.
        synchronized (this) {
            finished = true;
        }
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            halfClosed = true;
        }
        finishIfDone();
    }

    private void finishIfDone() {
        StreamEngagementsResponse summary;
        synchronized (this) {
            if (finished || !halfClosed || inFlight > 0) {
                return;
            }
            finished = true;
            StreamEngagementsResponse.Builder builder = StreamEngagementsResponse.newBuilder()
                    .setAccepted(accepted)
                    .setDuplicates(duplicates)
                    .setRejected(rejected)
                    .addAllRejections(rejections)
                    .setScoresTruncated(latestScores.size() > MAX_SCORES);
            builder.setPosition(highestPosition);
            latestScores.values().stream().limit(MAX_SCORES).map(LeadMessages::toProto).forEach(builder::addScores);
            summary = builder.build();
        }
        response.onNext(summary);
        response.onCompleted();
    }
}
