package io.leadscore.server.grpc;

import io.leadscore.server.grpc.status.GrpcErrors;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.lead.api.TransitionLeadCommand;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.AcceptLeadResponse;
import io.leadscore.v1.CloseLostRequest;
import io.leadscore.v1.CloseLostResponse;
import io.leadscore.v1.CloseWonRequest;
import io.leadscore.v1.CloseWonResponse;
import io.leadscore.v1.DisqualifyLeadRequest;
import io.leadscore.v1.DisqualifyLeadResponse;
import io.leadscore.v1.RecordOpportunityRequest;
import io.leadscore.v1.RecordOpportunityResponse;
import io.leadscore.v1.RejectLeadRequest;
import io.leadscore.v1.RejectLeadResponse;
import io.leadscore.v1.ReopenLeadRequest;
import io.leadscore.v1.ReopenLeadResponse;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.EngagementOutcome;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RecordEngagementResponse;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RegisterLeadResponse;
import io.leadscore.v1.StreamEngagementsRequest;
import io.leadscore.v1.StreamEngagementsResponse;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.UpdateProfileResponse;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code leadscore.v1.LeadService}: turns each request into its command through {@link LeadRequests} (which
 * refuses what is invalid), sends it, maps the outcome back.
 */
public final class LeadGrpcService extends LeadServiceGrpc.LeadServiceImplBase {

    private final LeadCommands commands;
    private final LeadRequests requests;

    private final int maxStreamRate;
    /** Delays the next message of streams ahead of their rate. */
    private final ScheduledExecutorService pacing;

    /**
     * @param maxStreamRate engagements per second one StreamEngagements call may send
     * @param pacing        where the next message of a stream ahead of its rate is asked for later
     */
    public LeadGrpcService(LeadCommands commands, LeadRequests requests, int maxStreamRate,
                           ScheduledExecutorService pacing) {
        this.commands = commands;
        this.requests = requests;
        this.maxStreamRate = maxStreamRate;
        this.pacing = pacing;
    }

    @Override
    public void registerLead(RegisterLeadRequest request, StreamObserver<RegisterLeadResponse> response) {
        respond(response, () -> commands.send(requests.registerLead(request)),
                outcome -> RegisterLeadResponse.newBuilder()
                        .setScore(LeadMessages.toProto(outcome.lead())).setPosition(outcome.position())
                        .setAlreadyRegistered(outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                        .build());
    }

    @Override
    public void updateProfile(UpdateProfileRequest request, StreamObserver<UpdateProfileResponse> response) {
        respond(response, () -> commands.send(requests.updateProfile(request)),
                outcome -> UpdateProfileResponse.newBuilder().setScore(LeadMessages.toProto(outcome.lead())).setPosition(outcome.position())
                                                .setAlreadyRecorded(outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                                                .build());
    }

    @Override
    public void importOutcome(io.leadscore.v1.ImportOutcomeRequest request,
                              StreamObserver<io.leadscore.v1.ImportOutcomeResponse> response) {
        respond(response, () -> commands.send(requests.importOutcome(request)),
                outcome -> io.leadscore.v1.ImportOutcomeResponse.newBuilder()
                                                                .setScore(LeadMessages.toProto(outcome.lead())).setPosition(outcome.position())
                                                                .setAlreadyRecorded(
                                                                        outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                                                                .build());
    }

    @Override
    public void importLead(io.leadscore.v1.ImportLeadRequest request,
                           StreamObserver<io.leadscore.v1.ImportLeadResponse> response) {
        // The lead's own refusals (registered with other details, erased) name lead_id: here it is the registration's.
        respond(response, () -> commands.send(requests.importLead(request)).exceptionally(failure -> {
                    throw GrpcErrors.classify(failure).withField("lead_id", "registration.lead_id");
                }),
                outcome -> io.leadscore.v1.ImportLeadResponse.newBuilder()
                                                             .setScore(LeadMessages.toProto(outcome.lead())).setPosition(outcome.position())
                                                             .setEventsStored(outcome.eventsStored()).build());
    }

    /**
     * Records the erasure, then destroys the key, and answers once both are durable: after the answer nothing
     * personal about the lead can be read. The score projection destroys the key again when it sees the erasure,
     * in case the server died in between.
     */
    @Override
    public void eraseLead(io.leadscore.v1.EraseLeadRequest request,
                          StreamObserver<io.leadscore.v1.EraseLeadResponse> response) {
        respond(response, () -> commands.erase(requests.eraseLead(request)),
                outcome -> io.leadscore.v1.EraseLeadResponse.newBuilder()
                                                            .setScore(LeadMessages.toProto(outcome.lead())).setPosition(outcome.position())
                                                            .setAlreadyErased(
                                                                    outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                                                            .build());
    }

    @Override
    public void recordEngagement(RecordEngagementRequest request, StreamObserver<RecordEngagementResponse> response) {
        respond(new CountingRejections<>(response, commands), () -> commands.send(requests.recordEngagement(request)),
                outcome -> RecordEngagementResponse.newBuilder()
                        .setOutcome(outcome.effect() == CommandOutcome.Effect.DUPLICATE
                                            ? EngagementOutcome.ENGAGEMENT_OUTCOME_DUPLICATE
                                            : EngagementOutcome.ENGAGEMENT_OUTCOME_ACCEPTED)
                        .setScore(LeadMessages.toProto(outcome.lead())).setPosition(outcome.position())
                        .build());
    }

    @Override
    public void adjustScore(AdjustScoreRequest request, StreamObserver<AdjustScoreResponse> response) {
        respond(response, () -> commands.send(requests.adjustScore(request)),
                outcome -> AdjustScoreResponse.newBuilder()
                        .setScore(LeadMessages.toProto(outcome.lead())).setPosition(outcome.position())
                        .setDuplicate(outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                        .build());
    }

    @Override
    public void acceptLead(AcceptLeadRequest request, StreamObserver<AcceptLeadResponse> response) {
        transition(response, () -> requests.acceptLead(request),
                   (score, position) -> AcceptLeadResponse.newBuilder().setScore(score).setPosition(position).build());
    }

    @Override
    public void rejectLead(RejectLeadRequest request, StreamObserver<RejectLeadResponse> response) {
        transition(response, () -> requests.rejectLead(request),
                   (score, position) -> RejectLeadResponse.newBuilder().setScore(score).setPosition(position).build());
    }

    @Override
    public void disqualifyLead(DisqualifyLeadRequest request, StreamObserver<DisqualifyLeadResponse> response) {
        transition(response, () -> requests.disqualifyLead(request),
                   (score, position) -> DisqualifyLeadResponse.newBuilder().setScore(score).setPosition(position).build());
    }

    @Override
    public void recordOpportunity(RecordOpportunityRequest request,
                                  StreamObserver<RecordOpportunityResponse> response) {
        transition(response, () -> requests.recordOpportunity(request),
                   (score, position) -> RecordOpportunityResponse.newBuilder().setScore(score).setPosition(position).build());
    }

    @Override
    public void closeWon(CloseWonRequest request, StreamObserver<CloseWonResponse> response) {
        transition(response, () -> requests.closeWon(request),
                   (score, position) -> CloseWonResponse.newBuilder().setScore(score).setPosition(position).build());
    }

    @Override
    public void closeLost(CloseLostRequest request, StreamObserver<CloseLostResponse> response) {
        transition(response, () -> requests.closeLost(request),
                   (score, position) -> CloseLostResponse.newBuilder().setScore(score).setPosition(position).build());
    }

    @Override
    public void reopenLead(ReopenLeadRequest request, StreamObserver<ReopenLeadResponse> response) {
        transition(response, () -> requests.reopenLead(request),
                   (score, position) -> ReopenLeadResponse.newBuilder().setScore(score).setPosition(position).build());
    }

    /** Sends the sales transition {@code command} reads from the request, and answers with the lead's new score. */
    private <T> void transition(StreamObserver<T> response, Supplier<TransitionLeadCommand> command,
                                java.util.function.BiFunction<io.leadscore.v1.LeadScore, Long, T> toResponse) {
        respond(response, () -> commands.send(command.get()),
                outcome -> toResponse.apply(LeadMessages.toProto(outcome.lead()), outcome.position()));
    }

    @Override
    public StreamObserver<StreamEngagementsRequest> streamEngagements(
            StreamObserver<StreamEngagementsResponse> response) {
        return new EngagementStreamIngest((ServerCallStreamObserver<StreamEngagementsResponse>) response,
                                          commands, requests, new StreamPacer(maxStreamRate, pacing));
    }

    /** Completes the call when the command completes; the gRPC thread is never blocked on the store. */
    private static <T> void respond(StreamObserver<T> response,
                                    CommandCall call,
                                    Function<CommandOutcome, T> toResponse) {
        Calls.answerLater(response, () -> call.send().thenApply(toResponse));
    }

    /** Counts a refused engagement (validation or aggregate) by its status code before passing the error on. */
    private record CountingRejections<T>(StreamObserver<T> delegate, LeadCommands commands)
            implements StreamObserver<T> {

        @Override
        public void onNext(T value) {
            delegate.onNext(value);
        }

        @Override
        public void onError(Throwable error) {
            commands.engagementRejected(io.grpc.Status.fromThrowable(error).getCode());
            delegate.onError(error);
        }

        @Override
        public void onCompleted() {
            delegate.onCompleted();
        }
    }

    @FunctionalInterface
    private interface CommandCall {
        CompletableFuture<CommandOutcome> send();
    }
}
