package io.leadscore.server.grpc;

import io.grpc.stub.StreamObserver;
import io.leadscore.server.analytics.FunnelReporter;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.GetFunnelReportResponse;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.RecordSpendResponse;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code leadscore.v1.AnalyticsService}: each request is read through {@link AnalyticsRequests} first; spend is
 * event-sourced; reports replay history off the gRPC threads.
 */
public final class AnalyticsGrpcService extends AnalyticsServiceGrpc.AnalyticsServiceImplBase {

    private final CommandGateway commands;
    private final FunnelReporter funnels;
    private final Supplier<ScoringModel> activeModel;
    private final AnalyticsRequests requests;
    private final Executor executor;

    public AnalyticsGrpcService(CommandGateway commands, FunnelReporter funnels, Supplier<ScoringModel> activeModel,
                                AnalyticsRequests requests, Executor executor) {
        this.commands = commands;
        this.funnels = funnels;
        this.activeModel = activeModel;
        this.requests = requests;
        this.executor = executor;
    }

    @Override
    public void recordSpend(RecordSpendRequest request, StreamObserver<RecordSpendResponse> response) {
        Calls.answerLater(response, () -> commands.<Boolean>send(requests.recordSpend(request)).thenApply(
                alreadyRecorded -> RecordSpendResponse.newBuilder().setAlreadyRecorded(alreadyRecorded).build()));
    }

    @Override
    public void getFunnelReport(GetFunnelReportRequest request, StreamObserver<GetFunnelReportResponse> response) {
        Calls.answerLater(response, () -> {
            AnalyticsRequests.FunnelQuery query = requests.getFunnelReport(request);
            // Reports read the whole history: off the gRPC threads, on the analytics pool.
            return java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> AnalyticsMessages.toProto(funnels.report(activeModel.get(), query.window(),
                                                                   query.grouping(), query.currency())), executor);
        });
    }

}
