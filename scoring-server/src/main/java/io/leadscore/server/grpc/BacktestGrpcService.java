package io.leadscore.server.grpc;

import io.leadscore.server.grpc.status.GrpcErrors;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.leadscore.server.backtest.BacktestResult;
import io.leadscore.server.backtest.Backtester;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.metrics.BusinessMetrics;
import io.leadscore.server.model.ModelDocumentException;
import io.leadscore.server.model.ModelParser;
import io.leadscore.server.model.RuleBasedModel;
import io.leadscore.server.model.catalog.CatalogReader;
import io.leadscore.server.model.catalog.CatalogState;
import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.v1.BacktestProgress;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.RunBacktestResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** {@code leadscore.v1.BacktestService}: backtests run on their own executor, never on gRPC threads. */
public final class BacktestGrpcService extends BacktestServiceGrpc.BacktestServiceImplBase {

    static final int MAX_CANDIDATES = 4;
    private static final java.time.Duration DEFAULT_HORIZON = java.time.Duration.ofDays(7);

    private final Backtester backtester;
    private final CatalogReader catalog;
    private final Supplier<ScoringModel> activeModel;
    private final Executor executor;
    private final Clock clock;
    private final BusinessMetrics metrics;

    public BacktestGrpcService(Backtester backtester, CatalogReader catalog, Supplier<ScoringModel> activeModel,
                               Executor executor, Clock clock, BusinessMetrics metrics) {
        this.metrics = metrics;
        this.backtester = backtester;
        this.catalog = catalog;
        this.activeModel = activeModel;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public void runBacktest(RunBacktestRequest request, StreamObserver<RunBacktestResponse> response) {
        ServerCallStreamObserver<RunBacktestResponse> call = (ServerCallStreamObserver<RunBacktestResponse>) response;
        Calls.parse(response, () -> spec(request)).ifPresent(spec -> executor.execute(() -> {
            try {
                BacktestResult result = backtester.run(spec, (read, total, leads) -> {
                    if (call.isCancelled()) {
                        throw new java.util.concurrent.CancellationException("the caller cancelled the backtest");
                    }
                    // Progress is a courtesy: skipped while the client is slow, never buffered without bound.
                    if (call.isReady()) {
                        call.onNext(RunBacktestResponse.newBuilder().setProgress(BacktestProgress.newBuilder()
                                .setEventsRead(read).setEventsTotal(total).setLeadsSeen(leads)).build());
                    }
                });
                metrics.backtestRun("ok");
                if (!call.isCancelled()) {
                    call.onNext(RunBacktestResponse.newBuilder().setReport(BacktestMessages.toProto(result)).build());
                    call.onCompleted();
                }
            } catch (java.util.concurrent.CancellationException e) {
                metrics.backtestRun("cancelled");
            } catch (RuntimeException e) {
                metrics.backtestRun("failed");
                Calls.fail(call, e);
            } catch (Error e) {
                // An Error (out of memory above all) would otherwise end this thread and leave the call open
                // until its deadline: the caller gets a status, and what the backtest held is garbage from here.
                metrics.backtestRun("failed");
                Calls.fail(call, e);
            }
        }));
    }

    private Backtester.Spec spec(RunBacktestRequest request) {
        if (request.getCandidatesCount() == 0 || request.getCandidatesCount() > MAX_CANDIDATES) {
            throw RequestValidator.invalid("candidates", "must name 1-" + MAX_CANDIDATES + " models");
        }
        List<ScoringModel> candidates = new ArrayList<>();
        CatalogState state = null;
        for (int i = 0; i < request.getCandidatesCount(); i++) {
            CandidateModel candidate = request.getCandidates(i);
            String field = "candidates[" + i + "]";
            switch (candidate.getSourceCase()) {
                case DOCUMENT -> {
                    try {
                        candidates.add(new RuleBasedModel(ModelParser.parse(candidate.getDocument())));
                    } catch (ModelDocumentException e) {
                        throw GrpcErrors.invalidDocument(field + ".document", e);
                    }
                }
                case MODEL_VERSION -> {
                    state = state == null ? catalog.read() : state;
                    if (!state.contains(candidate.getModelVersion())) {
                        throw new LeadscoreException(ErrorCode.MODEL_NOT_FOUND, field + ".model_version",
                                                     "no model version " + candidate.getModelVersion());
                    }
                    candidates.add(new RuleBasedModel(state.definition(candidate.getModelVersion())));
                }
                default -> throw RequestValidator.invalid(field, "needs a model_version or a document");
            }
        }
        ReplayWindow window = ProtoMapper.toWindow(request.hasFrom() ? request.getFrom() : null,
                                                   request.hasTo() ? request.getTo() : null, clock.instant());
        Instant cutoff = request.hasScoreCutoff() ? ProtoMapper.toInstant(request.getScoreCutoff(), "score_cutoff") : null;
        java.time.Duration horizon = DEFAULT_HORIZON;
        if (request.hasScoreHorizon()) {
            horizon = RequestValidator.validateHorizon(request.getScoreHorizon(), "score_horizon");
        }
        for (double threshold : request.getThresholdsList()) {
            if (!Double.isFinite(threshold)) {
                throw RequestValidator.invalid("thresholds", "must be finite numbers");
            }
        }
        if (request.getThresholdsCount() > 100) {
            throw RequestValidator.invalid("thresholds", "at most 100");
        }
        return new Backtester.Spec(candidates, activeModel.get(), window, cutoff, horizon,
                                   request.getThresholdsList(), request.getCompareRawCursor());
    }
}
