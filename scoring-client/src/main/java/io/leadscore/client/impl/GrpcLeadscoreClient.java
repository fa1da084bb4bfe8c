package io.leadscore.client.impl;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadAlerts;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.client.Timestamps;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.AcceptLeadResponse;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestProgress;
import io.leadscore.v1.BacktestReport;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.CloseLostRequest;
import io.leadscore.v1.CloseLostResponse;
import io.leadscore.v1.CloseWonRequest;
import io.leadscore.v1.CloseWonResponse;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.CreateModelResponse;
import io.leadscore.v1.DisqualifyLeadRequest;
import io.leadscore.v1.DisqualifyLeadResponse;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.EraseLeadRequest;
import io.leadscore.v1.EraseLeadResponse;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.v1.GetAccountScoreRequest;
import io.leadscore.v1.GetAccountScoreResponse;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.GetFunnelReportResponse;
import io.leadscore.v1.GetModelRequest;
import io.leadscore.v1.GetModelResponse;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.GetStageHistoryResponse;
import io.leadscore.v1.ImportLeadRequest;
import io.leadscore.v1.ImportLeadResponse;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.ImportOutcomeResponse;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.ListLeadsResponse;
import io.leadscore.v1.ListModelsRequest;
import io.leadscore.v1.ListModelsResponse;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.PublishModelRequest;
import io.leadscore.v1.PublishModelResponse;
import io.leadscore.v1.PublishProgress;
import io.leadscore.v1.PublishSummary;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RecordEngagementResponse;
import io.leadscore.v1.RecordOpportunityRequest;
import io.leadscore.v1.RecordOpportunityResponse;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.RecordSpendResponse;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RegisterLeadResponse;
import io.leadscore.v1.RejectLeadRequest;
import io.leadscore.v1.RejectLeadResponse;
import io.leadscore.v1.ReopenLeadRequest;
import io.leadscore.v1.ReopenLeadResponse;
import io.leadscore.v1.RollbackModelRequest;
import io.leadscore.v1.RollbackModelResponse;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.RunBacktestResponse;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.StreamEngagementsResponse;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.UpdateProfileResponse;
import io.leadscore.v1.ValidateModelRequest;
import io.leadscore.v1.ValidateModelResponse;
import io.leadscore.v1.WatchLeadsRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import static io.leadscore.client.impl.Idempotence.IDEMPOTENT;
import static io.leadscore.client.impl.Idempotence.NOT_IDEMPOTENT;

/**
 * The gRPC implementation of {@link LeadscoreClient}: each method is one call through {@link RetryingCalls}, marked
 * with its {@link Idempotence} (the interface says why each is what it is).
 */
public final class GrpcLeadscoreClient implements LeadscoreClient {

    private final Channel channel;
    private final RetryingCalls calls;
    private final LeadServiceGrpc.LeadServiceBlockingStub leads;
    private final LeadServiceGrpc.LeadServiceStub leadsAsync;
    private final ScoreServiceGrpc.ScoreServiceBlockingStub scores;
    private final ModelServiceGrpc.ModelServiceBlockingStub models;
    private final BacktestServiceGrpc.BacktestServiceBlockingStub backtests;
    private final AnalyticsServiceGrpc.AnalyticsServiceBlockingStub analytics;

    public GrpcLeadscoreClient(Channel channel, Duration deadline) {
        this.channel = channel;
        this.calls = new RetryingCalls(deadline);
        this.leads = LeadServiceGrpc.newBlockingStub(channel);
        this.leadsAsync = LeadServiceGrpc.newStub(channel);
        this.scores = ScoreServiceGrpc.newBlockingStub(channel);
        this.models = ModelServiceGrpc.newBlockingStub(channel);
        this.backtests = BacktestServiceGrpc.newBlockingStub(channel);
        this.analytics = AnalyticsServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public LeadscoreClient withDeadline(Duration deadline) {
        return new GrpcLeadscoreClient(channel, deadline);
    }

    // LeadService: facts about leads

    @Override
    public RegisterLeadResponse registerLead(RegisterLeadRequest request) {
        return calls.call(IDEMPOTENT, leads, stub -> stub.registerLead(request));
    }

    @Override
    public UpdateProfileResponse updateProfile(UpdateProfileRequest request) {
        return calls.call(IDEMPOTENT, leads, stub -> stub.updateProfile(request));
    }

    @Override
    public RecordEngagementResponse recordEngagement(Engagement engagement) {
        RecordEngagementRequest request = RecordEngagementRequest.newBuilder().setEngagement(engagement).build();
        return calls.call(IDEMPOTENT, leads, stub -> stub.recordEngagement(request));
    }

    @Override
    public StreamEngagementsResponse streamEngagements(Iterator<Engagement> engagements) {
        CompletableFuture<StreamEngagementsResponse> summary = new CompletableFuture<>();
        leadsAsync.withDeadlineAfter(calls.deadline())
                  .streamEngagements(new FlowControlledSender(engagements, summary));
        try {
            return summary.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withCause(e).asRuntimeException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException status) {
                throw status;
            }
            throw Status.fromThrowable(e.getCause()).asRuntimeException();
        }
    }

    @Override
    public AdjustScoreResponse adjustScore(AdjustScoreRequest request) {
        return calls.call(IDEMPOTENT, leads, stub -> stub.adjustScore(request));
    }

    @Override
    public ImportOutcomeResponse importOutcome(ImportOutcomeRequest request) {
        return calls.call(IDEMPOTENT, leads, stub -> stub.importOutcome(request));
    }

    @Override
    public ImportLeadResponse importLead(ImportLeadRequest request) {
        return calls.call(IDEMPOTENT, leads, stub -> stub.importLead(request));
    }

    @Override
    public EraseLeadResponse eraseLead(EraseLeadRequest request) {
        return calls.call(IDEMPOTENT, leads, stub -> stub.eraseLead(request));
    }

    // LeadService: the sales handoff

    @Override
    public AcceptLeadResponse acceptLead(AcceptLeadRequest request) {
        return calls.call(NOT_IDEMPOTENT, leads, stub -> stub.acceptLead(request));
    }

    @Override
    public RejectLeadResponse rejectLead(RejectLeadRequest request) {
        return calls.call(NOT_IDEMPOTENT, leads, stub -> stub.rejectLead(request));
    }

    @Override
    public DisqualifyLeadResponse disqualifyLead(DisqualifyLeadRequest request) {
        return calls.call(NOT_IDEMPOTENT, leads, stub -> stub.disqualifyLead(request));
    }

    @Override
    public RecordOpportunityResponse recordOpportunity(RecordOpportunityRequest request) {
        return calls.call(NOT_IDEMPOTENT, leads, stub -> stub.recordOpportunity(request));
    }

    @Override
    public CloseWonResponse closeWon(CloseWonRequest request) {
        return calls.call(NOT_IDEMPOTENT, leads, stub -> stub.closeWon(request));
    }

    @Override
    public CloseLostResponse closeLost(CloseLostRequest request) {
        return calls.call(NOT_IDEMPOTENT, leads, stub -> stub.closeLost(request));
    }

    @Override
    public ReopenLeadResponse reopenLead(ReopenLeadRequest request) {
        return calls.call(NOT_IDEMPOTENT, leads, stub -> stub.reopenLead(request));
    }

    // ScoreService

    @Override
    public LeadScore getScore(String leadId) {
        return getScore(leadId, 0);
    }

    @Override
    public LeadScore getScore(String leadId, long minPosition) {
        GetScoreRequest request = GetScoreRequest.newBuilder().setLeadId(leadId).setMinPosition(minPosition).build();
        return calls.call(IDEMPOTENT, scores, stub -> stub.getScore(request).getScore());
    }

    @Override
    public BatchGetScoresResponse batchGetScores(List<String> leadIds) {
        BatchGetScoresRequest request = BatchGetScoresRequest.newBuilder().addAllLeadIds(leadIds).build();
        return calls.call(IDEMPOTENT, scores, stub -> stub.batchGetScores(request));
    }

    @Override
    public LeadScore getScoreAt(String leadId, Instant asOf) {
        GetScoreAtRequest.Builder request = GetScoreAtRequest.newBuilder().setLeadId(leadId);
        if (asOf != null) {
            request.setAsOf(Timestamps.of(asOf));
        }
        return calls.call(IDEMPOTENT, scores, stub -> stub.getScoreAt(request.build()).getScore());
    }

    @Override
    public ExplainScoreResponse explainScore(String leadId, Instant asOf) {
        ExplainScoreRequest.Builder request = ExplainScoreRequest.newBuilder().setLeadId(leadId);
        if (asOf != null) {
            request.setAsOf(Timestamps.of(asOf));
        }
        return calls.call(IDEMPOTENT, scores, stub -> stub.explainScore(request.build()));
    }

    @Override
    public GetStageHistoryResponse getStageHistory(String leadId) {
        GetStageHistoryRequest request = GetStageHistoryRequest.newBuilder().setLeadId(leadId).build();
        return calls.call(IDEMPOTENT, scores, stub -> stub.getStageHistory(request));
    }

    @Override
    public ListLeadsResponse listLeads(ListLeadsRequest request) {
        return calls.call(IDEMPOTENT, scores, stub -> stub.listLeads(request));
    }

    @Override
    public GetAccountScoreResponse getAccountScore(String accountDomain) {
        GetAccountScoreRequest request = GetAccountScoreRequest.newBuilder().setAccountDomain(accountDomain).build();
        return calls.call(IDEMPOTENT, scores, stub -> stub.getAccountScore(request));
    }

    @Override
    public LeadAlerts watchLeads(WatchLeadsRequest request) {
        return CancellableAlerts.open(() -> scores.watchLeads(request));
    }

    @Override
    public LeadAlerts watchLeads(WatchLeadsRequest request, Duration deadline) {
        return CancellableAlerts.open(() -> scores.withDeadlineAfter(deadline).watchLeads(request));
    }

    // ModelService

    @Override
    public ValidateModelResponse validateModel(ValidateModelRequest request) {
        return calls.call(IDEMPOTENT, models, stub -> stub.validateModel(request));
    }

    @Override
    public CreateModelResponse createModel(CreateModelRequest request) {
        return calls.call(NOT_IDEMPOTENT, models, stub -> stub.createModel(request));
    }

    @Override
    public GetModelResponse getModel(GetModelRequest request) {
        return calls.call(IDEMPOTENT, models, stub -> stub.getModel(request));
    }

    @Override
    public ListModelsResponse listModels() {
        return calls.call(IDEMPOTENT, models, stub -> stub.listModels(ListModelsRequest.getDefaultInstance()));
    }

    @Override
    public PublishSummary publishModel(PublishModelRequest request, Consumer<PublishProgress> progress) {
        return calls.call(NOT_IDEMPOTENT, models, stub -> ProgressStream.result(
                () -> stub.publishModel(request),
                (PublishModelResponse message) -> message.hasSummary() ? message.getSummary() : null,
                message -> progress.accept(message.getProgress()),
                "the server ended the publish without a summary"));
    }

    @Override
    public PublishSummary rollbackModel(RollbackModelRequest request, Consumer<PublishProgress> progress) {
        return calls.call(NOT_IDEMPOTENT, models, stub -> ProgressStream.result(
                () -> stub.rollbackModel(request),
                (RollbackModelResponse message) -> message.hasSummary() ? message.getSummary() : null,
                message -> progress.accept(message.getProgress()),
                "the server ended the rollback without a summary"));
    }

    // BacktestService

    @Override
    public BacktestReport runBacktest(RunBacktestRequest request, Consumer<BacktestProgress> progress) {
        return calls.call(IDEMPOTENT, backtests, stub -> ProgressStream.result(
                () -> stub.runBacktest(request),
                (RunBacktestResponse message) -> message.hasReport() ? message.getReport() : null,
                message -> progress.accept(message.getProgress()),
                "the backtest ended without a report"));
    }

    // AnalyticsService

    @Override
    public RecordSpendResponse recordSpend(RecordSpendRequest request) {
        return calls.call(IDEMPOTENT, analytics, stub -> stub.recordSpend(request));
    }

    @Override
    public GetFunnelReportResponse getFunnelReport(GetFunnelReportRequest request) {
        return calls.call(IDEMPOTENT, analytics, stub -> stub.getFunnelReport(request));
    }
}
