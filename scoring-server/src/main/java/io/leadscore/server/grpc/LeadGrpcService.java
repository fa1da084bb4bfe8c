package io.leadscore.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.AdjustScoreCommand;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.scoring.ScoreAdjustment;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.AdjustedPart;
import io.leadscore.server.lead.api.RecordEngagementCommand;
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
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** {@code leadscore.v1.LeadService}: validates, maps to a command, sends it, maps the outcome back. */
public final class LeadGrpcService extends LeadServiceGrpc.LeadServiceImplBase {

    private final LeadCommands commands;
    private final RequestValidator validator;
    private final Clock clock;

    public LeadGrpcService(LeadCommands commands, RequestValidator validator, Clock clock) {
        this.commands = commands;
        this.validator = validator;
        this.clock = clock;
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
        }, outcome -> UpdateProfileResponse.newBuilder().setScore(ProtoMapper.toProto(outcome.lead())).build());
    }

    @Override
    public void recordEngagement(RecordEngagementRequest request, StreamObserver<RecordEngagementResponse> response) {
        respond(response, () -> {
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
    public StreamObserver<StreamEngagementsRequest> streamEngagements(
            StreamObserver<StreamEngagementsResponse> response) {
        return new EngagementStreamIngest((ServerCallStreamObserver<StreamEngagementsResponse>) response,
                                          commands, validator);
    }

    /** Completes the call when the command completes; the gRPC thread is never blocked on the store. */
    private static <T> void respond(StreamObserver<T> response,
                                    CommandCall call,
                                    Function<CommandOutcome, T> toResponse) {
        CompletableFuture<CommandOutcome> outcome;
        try {
            outcome = call.send();
        } catch (LeadscoreException e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        outcome.whenComplete((result, failure) -> {
            if (failure != null) {
                response.onError(GrpcErrors.toStatus(failure));
            } else {
                response.onNext(toResponse.apply(result));
                response.onCompleted();
            }
        });
    }

    @FunctionalInterface
    private interface CommandCall {
        CompletableFuture<CommandOutcome> send();
    }
}
