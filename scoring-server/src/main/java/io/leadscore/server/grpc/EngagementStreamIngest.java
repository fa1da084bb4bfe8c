package io.leadscore.server.grpc;

import io.leadscore.server.grpc.status.GrpcErrors;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.RecordEngagementCommand;
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
 * control: a new message is requested only when one completes, so a fast client cannot queue without bound, and
 * concurrent appends share group commits. The answer is sent once the client has half-closed and every engagement
 * is done.
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
    private long rejected;
    private int inFlight;
    private boolean halfClosed;
    private boolean finished;
    private final List<EngagementRejection> rejections = new ArrayList<>();
    private final Map<String, LeadSnapshot> latestScores = new HashMap<>();
    /** The last engagement of each lead sent and not yet done: the next of that lead waits for it. */
    private final Map<String, CompletableFuture<CommandOutcome>> lastOfLead = new HashMap<>();

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
        CompletableFuture<CommandOutcome> done;
        synchronized (this) {
            inFlight++;
            done = afterTheLeadsLast(command);
            lastOfLead.put(command.leadId(), done);
        }
        done.whenComplete((outcome, failure) -> {
            synchronized (this) {
                lastOfLead.remove(command.leadId(), done);
            }
            if (failure != null) {
                reject(index, eventId, GrpcErrors.classify(failure));
            } else {
                recordOutcome(outcome);
            }
            synchronized (this) {
                inFlight--;
            }
            requestNext();
            finishIfDone();
        });
    }

    /**
     * Sends the command once the stream's previous engagement of the same lead is done, so that each lead's
     * engagements are stored in the order they were sent (a lead qualifies on the engagement that made it, not on
     * whichever won a race); engagements of different leads still run side by side. Sent later, the command is
     * sent in this call's context, which carries its deadline and its caller.
     */
    private CompletableFuture<CommandOutcome> afterTheLeadsLast(RecordEngagementCommand command) {
        CompletableFuture<CommandOutcome> before = lastOfLead.get(command.leadId());
        if (before == null) {
            return commands.send(command);
        }
        Context call = Context.current();
        return before.handle((outcome, failure) -> null)
                     .thenCompose(previousDone -> {
                         Context previous = call.attach();
                         try {
                             return commands.send(command);
                         } finally {
                             call.detach(previous);
                         }
                     });
    }

    /** One message done, room for the next: asked for when the stream's rate allows. */
    private void requestNext() {
        pacer.pace(() -> response.request(1));
    }

    private synchronized void recordOutcome(CommandOutcome outcome) {
        if (outcome.effect() == CommandOutcome.Effect.DUPLICATE) {
            duplicates++;
        } else {
            accepted++;
        }
        LeadSnapshot lead = outcome.lead();
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
            latestScores.values().stream().limit(MAX_SCORES).map(ProtoMapper::toProto).forEach(builder::addScores);
            summary = builder.build();
        }
        response.onNext(summary);
        response.onCompleted();
    }
}
