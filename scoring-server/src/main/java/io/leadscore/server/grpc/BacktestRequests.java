package io.leadscore.server.grpc;

import io.leadscore.server.backtest.Backtester;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.grpc.status.GrpcErrors;
import io.leadscore.server.model.ModelDocumentException;
import io.leadscore.server.model.ModelParser;
import io.leadscore.server.model.RuleBasedModel;
import io.leadscore.server.model.catalog.CatalogReader;
import io.leadscore.server.model.catalog.CatalogState;
import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.RunBacktestRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.leadscore.server.grpc.RequestValidator.invalid;

/**
 * The one validation of a {@code RunBacktest} request, which turns it into the backtest's {@link Backtester.Spec}:
 * each candidate parsed or found in the catalog, the window, the cutoff, the horizon and the thresholds. The
 * active model to compare against is the one active when the request is read.
 */
public final class BacktestRequests {

    static final int MAX_CANDIDATES = 4;
    private static final Duration DEFAULT_HORIZON = Duration.ofDays(7);
    private static final int MAX_THRESHOLDS = 100;

    private final CatalogReader catalog;
    private final Supplier<ScoringModel> activeModel;
    private final Clock clock;

    public BacktestRequests(CatalogReader catalog, Supplier<ScoringModel> activeModel, Clock clock) {
        this.catalog = catalog;
        this.activeModel = activeModel;
        this.clock = clock;
    }

    Backtester.Spec runBacktest(RunBacktestRequest request) {
        if (request.getCandidatesCount() == 0 || request.getCandidatesCount() > MAX_CANDIDATES) {
            throw invalid("candidates", "must name 1-" + MAX_CANDIDATES + " models");
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
                    // The catalog is read once, and only when a candidate names a stored version.
                    state = state == null ? catalog.read() : state;
                    if (!state.contains(candidate.getModelVersion())) {
                        throw new LeadscoreException(ErrorCode.MODEL_NOT_FOUND, field + ".model_version",
                                                     "no model version " + candidate.getModelVersion());
                    }
                    candidates.add(new RuleBasedModel(state.definition(candidate.getModelVersion())));
                }
                default -> throw invalid(field, "needs a model_version or a document");
            }
        }
        ReplayWindow window = RequestValidator.validateWindow(request.hasFrom() ? request.getFrom() : null,
                                                              request.hasTo() ? request.getTo() : null,
                                                              clock.instant());
        Instant cutoff = request.hasScoreCutoff()
                ? RequestValidator.validateTimestamp(request.getScoreCutoff(), "score_cutoff") : null;
        Duration horizon = DEFAULT_HORIZON;
        if (request.hasScoreHorizon()) {
            horizon = RequestValidator.validateHorizon(request.getScoreHorizon(), "score_horizon");
        }
        for (double threshold : request.getThresholdsList()) {
            if (!Double.isFinite(threshold)) {
                throw invalid("thresholds", "must be finite numbers");
            }
        }
        if (request.getThresholdsCount() > MAX_THRESHOLDS) {
            throw invalid("thresholds", "at most " + MAX_THRESHOLDS);
        }
        return new Backtester.Spec(candidates, activeModel.get(), window, cutoff, horizon,
                                   request.getThresholdsList(), request.getCompareRawCursor());
    }
}
