package io.leadscore.server.grpc;

import io.leadscore.server.grpc.status.GrpcErrors;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.EraseLeadCommand;
import io.leadscore.server.lead.api.AdjustScoreCommand;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.lead.api.SalesTransition;
import io.leadscore.server.lead.api.TransitionLeadCommand;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.AcceptLeadResponse;
import io.leadscore.v1.Bant;
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
import io.leadscore.server.scoring.ScoreAdjustment;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.AdjustedPart;
import io.leadscore.server.lead.api.RecordEngagementCommand;
import io.leadscore.server.lead.api.ImportLeadCommand;
import io.leadscore.server.lead.api.ImportOutcomeCommand;
import io.leadscore.server.lead.api.UpdateProfileCommand;
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

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** {@code leadscore.v1.LeadService}: validates, maps to a command, sends it, maps the outcome back. */
public final class LeadGrpcService extends LeadServiceGrpc.LeadServiceImplBase {

    private final LeadCommands commands;
    private final RequestValidator validator;
    private final Clock clock;

    private final int maxStreamRate;
    /** Delays the next message of streams ahead of their rate. */
    private final ScheduledExecutorService pacing;

    /**
     * @param maxStreamRate engagements per second one StreamEngagements call may send
     * @param pacing        where the next message of a stream ahead of its rate is asked for later
     */
    public LeadGrpcService(LeadCommands commands, RequestValidator validator, Clock clock, int maxStreamRate,
                           ScheduledExecutorService pacing) {
        this.commands = commands;
        this.validator = validator;
        this.clock = clock;
        this.maxStreamRate = maxStreamRate;
        this.pacing = pacing;
    }

    @Override
    public void registerLead(RegisterLeadRequest request, StreamObserver<RegisterLeadResponse> response) {
        respond(response, () -> {
            validator.validate(request);
            return commands.send(ProtoMapper.toCommand(request, clock.instant()));
        }, outcome -> RegisterLeadResponse.newBuilder()
                .setScore(ProtoMapper.toProto(outcome.lead()))
                .setAlreadyRegistered(outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                .build());
    }

    @Override
    public void updateProfile(UpdateProfileRequest request, StreamObserver<UpdateProfileResponse> response) {
        respond(response, () -> {
            validator.validateLeadId(request.getLeadId(), "lead_id");
            if (!request.hasProfile()) {
                throw RequestValidator.invalid("profile", "is required");
            }
            validator.validate(request.getProfile(), "profile");
            if (request.hasUpdatedAt()) {
                validator.validateTime(request.getUpdatedAt(), "updated_at");
            }
            return commands.send(new UpdateProfileCommand(
                    request.getLeadId(), ProtoMapper.toProfile(request.getProfile()),
                    request.hasUpdatedAt() ? ProtoMapper.toInstant(request.getUpdatedAt()) : clock.instant()));
        }, outcome -> UpdateProfileResponse.newBuilder().setScore(ProtoMapper.toProto(outcome.lead()))
                                           .setAlreadyRecorded(outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                                           .build());
    }

    @Override
    public void importOutcome(io.leadscore.v1.ImportOutcomeRequest request,
                              StreamObserver<io.leadscore.v1.ImportOutcomeResponse> response) {
        respond(response, () -> {
            validator.validate(request);
            return commands.send(new ImportOutcomeCommand(
                    request.getLeadId(), ProtoMapper.toImportedOutcome(request.getOutcome()),
                    ProtoMapper.toInstant(request.getOccurredAt()), request.getAmount(), request.getCurrency(),
                    request.getSource()));
        }, outcome -> io.leadscore.v1.ImportOutcomeResponse.newBuilder()
                                                           .setScore(ProtoMapper.toProto(outcome.lead()))
                                                           .setAlreadyRecorded(
                                                                   outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                                                           .build());
    }

    /** At most this many engagements and outcomes in one imported lead: one command, one write. */
    static final int MAX_IMPORTED_ENGAGEMENTS = 1000;
    static final int MAX_IMPORTED_OUTCOMES = 100;

    @Override
    public void importLead(io.leadscore.v1.ImportLeadRequest request,
                           StreamObserver<io.leadscore.v1.ImportLeadResponse> response) {
        // The lead's own refusals (registered with other details, erased) name lead_id: here it is the registration's.
        respond(response, () -> commands.send(importCommand(request)).exceptionally(failure -> {
                    throw GrpcErrors.classify(failure).withField("lead_id", "registration.lead_id");
                }),
                outcome -> io.leadscore.v1.ImportLeadResponse.newBuilder()
                                                             .setScore(ProtoMapper.toProto(outcome.lead()))
                                                             .setEventsStored(outcome.eventsStored()).build());
    }

    /** Validates every part before anything is sent: a lead is imported whole or not at all. */
    private ImportLeadCommand importCommand(io.leadscore.v1.ImportLeadRequest request) {
        if (!request.hasRegistration()) {
            throw RequestValidator.invalid("registration", "is required");
        }
        RegisterLeadRequest registration = request.getRegistration();
        RequestValidator.within("registration", () -> validator.validate(registration));
        if (!registration.hasRegisteredAt()) {
            throw RequestValidator.invalid("registration.registered_at", "is required: history keeps its own times");
        }
        String leadId = registration.getLeadId();
        if (request.getEngagementsCount() > MAX_IMPORTED_ENGAGEMENTS) {
            throw RequestValidator.invalid("engagements", "has " + request.getEngagementsCount()
                                                          + " entries; at most " + MAX_IMPORTED_ENGAGEMENTS);
        }
        if (request.getOutcomesCount() > MAX_IMPORTED_OUTCOMES) {
            throw RequestValidator.invalid("outcomes", "has " + request.getOutcomesCount()
                                                       + " entries; at most " + MAX_IMPORTED_OUTCOMES);
        }
        UpdateProfileCommand profile = null;
        if (request.hasProfile()) {
            UpdateProfileRequest update = request.getProfile();
            sameLead(leadId, update.getLeadId(), "profile.lead_id");
            if (!update.hasProfile()) {
                throw RequestValidator.invalid("profile.profile", "is required with a profile");
            }
            validator.validate(update.getProfile(), "profile.profile");
            if (!update.hasUpdatedAt()) {
                throw RequestValidator.invalid("profile.updated_at", "is required: history keeps its own times");
            }
            validator.validateTime(update.getUpdatedAt(), "profile.updated_at");
            profile = new UpdateProfileCommand(leadId, ProtoMapper.toProfile(update.getProfile()),
                                               ProtoMapper.toInstant(update.getUpdatedAt()));
        }
        java.util.List<RecordEngagementCommand> engagements = new java.util.ArrayList<>();
        for (int i = 0; i < request.getEngagementsCount(); i++) {
            io.leadscore.v1.Engagement engagement = request.getEngagements(i);
            validator.validate(engagement, "engagements[" + i + "]");
            sameLead(leadId, engagement.getLeadId(), "engagements[" + i + "].lead_id");
            engagements.add(new RecordEngagementCommand(leadId, ProtoMapper.toFact(engagement)));
        }
        java.util.List<ImportOutcomeCommand> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < request.getOutcomesCount(); i++) {
            io.leadscore.v1.ImportOutcomeRequest outcome = request.getOutcomes(i);
            RequestValidator.within("outcomes[" + i + "]", () -> validator.validate(outcome));
            sameLead(leadId, outcome.getLeadId(), "outcomes[" + i + "].lead_id");
            outcomes.add(new ImportOutcomeCommand(leadId, ProtoMapper.toImportedOutcome(outcome.getOutcome()),
                                                  ProtoMapper.toInstant(outcome.getOccurredAt()), outcome.getAmount(),
                                                  outcome.getCurrency(), outcome.getSource()));
        }
        return new ImportLeadCommand(leadId, ProtoMapper.toCommand(registration, clock.instant()), profile,
                                     engagements, outcomes);
    }

    private static void sameLead(String leadId, String given, String field) {
        if (!given.equals(leadId)) {
            throw RequestValidator.invalid(field, "must be the registration's lead_id '" + leadId + "'");
        }
    }

    /**
     * Records the erasure, then destroys the key, and answers once both are durable: after the answer nothing
     * personal about the lead can be read. The score projection destroys the key again when it sees the erasure,
     * in case the server died in between.
     */
    @Override
    public void eraseLead(io.leadscore.v1.EraseLeadRequest request,
                          StreamObserver<io.leadscore.v1.EraseLeadResponse> response) {
        respond(response, () -> {
            validator.validate(request);
            return commands.erase(new EraseLeadCommand(request.getLeadId(), request.getActor(), clock.instant()));
        }, outcome -> io.leadscore.v1.EraseLeadResponse.newBuilder()
                                                      .setScore(ProtoMapper.toProto(outcome.lead()))
                                                      .setAlreadyErased(
                                                              outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                                                      .build());
    }

    @Override
    public void recordEngagement(RecordEngagementRequest request, StreamObserver<RecordEngagementResponse> response) {
        respond(new CountingRejections<>(response, commands), () -> {
            if (!request.hasEngagement()) {
                throw RequestValidator.invalid("engagement", "is required");
            }
            validator.validate(request.getEngagement(), "engagement");
            return commands.send(new RecordEngagementCommand(request.getEngagement().getLeadId(),
                                                             ProtoMapper.toFact(request.getEngagement())));
        }, outcome -> RecordEngagementResponse.newBuilder()
                .setOutcome(outcome.effect() == CommandOutcome.Effect.DUPLICATE
                                    ? EngagementOutcome.ENGAGEMENT_OUTCOME_DUPLICATE
                                    : EngagementOutcome.ENGAGEMENT_OUTCOME_ACCEPTED)
                .setScore(ProtoMapper.toProto(outcome.lead()))
                .build());
    }

    @Override
    public void adjustScore(AdjustScoreRequest request, StreamObserver<AdjustScoreResponse> response) {
        respond(response, () -> {
            validator.validate(request);
            Instant effective = request.hasEffectiveAt() ? ProtoMapper.toInstant(request.getEffectiveAt())
                                                         : clock.instant();
            ScoreAdjustment adjustment = new ScoreAdjustment(
                    request.getAdjustmentId(), request.getPoints(), request.getPart() == AdjustedPart.ADJUSTED_PART_FIT,
                    request.getActor(), request.getReason(), effective,
                    request.hasExpiresAt() ? ProtoMapper.toInstant(request.getExpiresAt()) : null);
            if (adjustment.expiresAt() != null && !adjustment.expiresAt().isAfter(effective)) {
                throw RequestValidator.invalid("expires_at", "must be after effective_at");
            }
            return commands.send(new AdjustScoreCommand(request.getLeadId(), adjustment));
        }, outcome -> AdjustScoreResponse.newBuilder()
                .setScore(ProtoMapper.toProto(outcome.lead()))
                .setDuplicate(outcome.effect() == CommandOutcome.Effect.DUPLICATE)
                .build());
    }

    @Override
    public void acceptLead(AcceptLeadRequest request, StreamObserver<AcceptLeadResponse> response) {
        Bant bant = request.getBant();
        transition(response, request.getLeadId(), SalesTransition.ACCEPT, request.getActor(), "", "",
                   () -> {
                       validator.validateBant(request.hasBant() ? bant : null);
                       return new io.leadscore.server.lead.api.Bant(bant.getBudget(), bant.getAuthority(),
                                                                   bant.getNeed(), bant.getTimeline());
                   }, 0, "", score -> AcceptLeadResponse.newBuilder().setScore(score).build());
    }

    @Override
    public void rejectLead(RejectLeadRequest request, StreamObserver<RejectLeadResponse> response) {
        transition(response, request.getLeadId(), SalesTransition.REJECT, request.getActor(),
                   request.getReasonCode(), request.getReason(), () -> null, 0, "",
                   score -> RejectLeadResponse.newBuilder().setScore(score).build());
    }

    @Override
    public void disqualifyLead(DisqualifyLeadRequest request, StreamObserver<DisqualifyLeadResponse> response) {
        transition(response, request.getLeadId(), SalesTransition.DISQUALIFY, request.getActor(),
                   request.getReasonCode(), request.getReason(), () -> null, 0, "",
                   score -> DisqualifyLeadResponse.newBuilder().setScore(score).build());
    }

    @Override
    public void recordOpportunity(RecordOpportunityRequest request,
                                  StreamObserver<RecordOpportunityResponse> response) {
        transition(response, request.getLeadId(), SalesTransition.OPEN_OPPORTUNITY, request.getActor(), "", "",
                   () -> null, request.getAmount(), request.getCurrency(),
                   score -> RecordOpportunityResponse.newBuilder().setScore(score).build());
    }

    @Override
    public void closeWon(CloseWonRequest request, StreamObserver<CloseWonResponse> response) {
        transition(response, request.getLeadId(), SalesTransition.CLOSE_WON, request.getActor(), "", "",
                   () -> null, request.getAmount(), request.getCurrency(),
                   score -> CloseWonResponse.newBuilder().setScore(score).build());
    }

    @Override
    public void closeLost(CloseLostRequest request, StreamObserver<CloseLostResponse> response) {
        transition(response, request.getLeadId(), SalesTransition.CLOSE_LOST, request.getActor(),
                   request.getReasonCode(), request.getReason(), () -> null, request.getAmount(),
                   request.getCurrency(), score -> CloseLostResponse.newBuilder().setScore(score).build());
    }

    @Override
    public void reopenLead(ReopenLeadRequest request, StreamObserver<ReopenLeadResponse> response) {
        transition(response, request.getLeadId(), SalesTransition.REOPEN, request.getActor(), "", request.getReason(),
                   () -> null, 0, "", score -> ReopenLeadResponse.newBuilder().setScore(score).build());
    }

    /** Validates the common parts of a sales transition, sends it, and answers with the lead's new score. */
    private <T> void transition(StreamObserver<T> response, String leadId, SalesTransition transition, String actor,
                                String reasonCode, String reason,
                                java.util.function.Supplier<io.leadscore.server.lead.api.Bant> bant,
                                long amount, String currency,
                                Function<io.leadscore.v1.LeadScore, T> toResponse) {
        respond(response, () -> {
            validator.validateLeadId(leadId, "lead_id");
            validator.validateTransition(actor, reasonCode, reason, amount, currency);
            return commands.send(new TransitionLeadCommand(leadId, transition, actor, reasonCode, reason,
                                                           bant.get(), amount, currency, clock.instant()));
        }, outcome -> toResponse.apply(ProtoMapper.toProto(outcome.lead())));
    }

    @Override
    public StreamObserver<StreamEngagementsRequest> streamEngagements(
            StreamObserver<StreamEngagementsResponse> response) {
        return new EngagementStreamIngest((ServerCallStreamObserver<StreamEngagementsResponse>) response,
                                          commands, validator, new StreamPacer(maxStreamRate, pacing));
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
