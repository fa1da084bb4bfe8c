package io.leadscore.server.grpc;

import io.grpc.stub.StreamObserver;
import io.leadscore.server.analytics.FunnelGrouping;
import io.leadscore.server.analytics.FunnelReporter;
import io.leadscore.server.analytics.RecordSpendCommand;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.GetFunnelReportResponse;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.RecordSpendResponse;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** {@code leadscore.v1.AnalyticsService}: spend is event-sourced; reports replay history off the gRPC threads. */
public final class AnalyticsGrpcService extends AnalyticsServiceGrpc.AnalyticsServiceImplBase {


    private final CommandGateway commands;
    private final FunnelReporter funnels;
    private final Supplier<ScoringModel> activeModel;
    private final RequestValidator validator;
    private final Executor executor;
    private final Clock clock;

    public AnalyticsGrpcService(CommandGateway commands, FunnelReporter funnels, Supplier<ScoringModel> activeModel,
                                RequestValidator validator, Executor executor, Clock clock) {
        this.commands = commands;
        this.funnels = funnels;
        this.activeModel = activeModel;
        this.validator = validator;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public void recordSpend(RecordSpendRequest request, StreamObserver<RecordSpendResponse> response) {
        Calls.answerLater(response, () -> commands.<Boolean>send(validated(request)).thenApply(
                alreadyRecorded -> RecordSpendResponse.newBuilder().setAlreadyRecorded(alreadyRecorded).build()));
    }

    private RecordSpendCommand validated(RecordSpendRequest request) {
        validator.validateLeadId(request.getSpendId(), "spend_id");
        if (request.getChannel().isBlank() || request.getChannel().length() > 128) {
            throw RequestValidator.invalid("channel", "must be 1-128 characters");
        }
        if (request.getCampaign().length() > 128) {
            throw RequestValidator.invalid("campaign", "must be at most 128 characters");
        }
        if (!request.hasPeriodStart()) {
            throw RequestValidator.invalid("period_start", "is required");
        }
        if (!request.hasPeriodEnd()) {
            throw RequestValidator.invalid("period_end", "is required");
        }
        Instant start = ProtoMapper.toInstant(request.getPeriodStart(), "period_start");
        Instant end = ProtoMapper.toInstant(request.getPeriodEnd(), "period_end");
        if (start.isBefore(RequestValidator.EARLIEST)) {
            throw RequestValidator.invalid("period_start", "must not lie before " + RequestValidator.EARLIEST);
        }
        if (!end.isAfter(start)) {
            throw RequestValidator.invalid("period_end", "must be after period_start");
        }
        if (request.getAmount() < 0) {
            throw RequestValidator.invalid("amount", "must not be negative");
        }
        RequestValidator.validateCurrency(request.getCurrency(), "currency");
        return new RecordSpendCommand(request.getSpendId(), request.getChannel(), request.getCampaign(), start, end,
                                      request.getAmount(), request.getCurrency());
    }

    @Override
    public void getFunnelReport(GetFunnelReportRequest request, StreamObserver<GetFunnelReportResponse> response) {
        Calls.answerLater(response, () -> {
            ReplayWindow window = ProtoMapper.toWindow(request.hasFrom() ? request.getFrom() : null,
                                                       request.hasTo() ? request.getTo() : null, clock.instant());
            FunnelGrouping grouping = AnalyticsMessages.toGrouping(request.getGroupBy());
            if (!request.getCurrency().isEmpty()) {
                RequestValidator.validateCurrency(request.getCurrency(), "currency");
            }
            // Reports read the whole history: off the gRPC threads, on the analytics pool.
            return java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> AnalyticsMessages.toProto(funnels.report(activeModel.get(), window, grouping,
                                                                   request.getCurrency())), executor);
        });
    }

}
