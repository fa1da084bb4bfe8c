package io.leadscore.server.grpc;

import io.grpc.stub.StreamObserver;
import java.util.function.UnaryOperator;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.readside.LeadScoreStore;
import com.google.protobuf.Timestamp;
import io.leadscore.server.readside.LeadHistory;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.readside.AccountScores;
import io.leadscore.server.readside.LeadQueue;
import io.leadscore.server.scoring.ScoringModel;
import io.leadscore.v1.GetAccountScoreRequest;
import io.leadscore.v1.GetAccountScoreResponse;
import io.leadscore.server.readside.LeadWatch;
import io.leadscore.server.readside.WatchRunner;
import io.leadscore.v1.WatchLeadsRequest;
import io.leadscore.v1.WatchLeadsResponse;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.ListLeadsResponse;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.GetStageHistoryResponse;
import io.leadscore.v1.ScoreLine;
import io.leadscore.v1.StageChange;
import io.leadscore.v1.GetScoreAtResponse;
import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.ScoreServiceGrpc;

import java.time.Clock;
import java.time.Instant;

/** {@code leadscore.v1.ScoreService}: answers from the in-memory score projection, never touching the store. */
public final class ScoreGrpcService extends ScoreServiceGrpc.ScoreServiceImplBase {

    static final int MAX_BATCH = 1000;
    private static final Instant EARLIEST_AS_OF = Instant.parse("1995-01-01T00:00:00Z");
    private static final Instant LATEST_AS_OF = Instant.parse("2200-01-01T00:00:00Z");

    private final LeadScoreStore scores;
    private final LeadHistory history;
    private final LeadQueue queue;
    private final WatchRunner watches;
    private final AccountScores accounts;
    /** Opens sealed personal values (adjustment and transition reasons) where they are shown. */
    private final UnaryOperator<String> reveal;
    private final RequestValidator validator;
    private final Clock clock;

    /**
     * @param queue  the sales queue, ranking leads as GetScore shows them
     * @param reveal opens sealed personal values with their lead's key, or shows them as erased
     */
    public ScoreGrpcService(LeadScoreStore scores, LeadHistory history, LeadQueue queue, WatchRunner watches,
                            AccountScores accounts, UnaryOperator<String> reveal, RequestValidator validator,
                            Clock clock) {
        this.scores = scores;
        this.history = history;
        this.queue = queue;
        this.watches = watches;
        this.accounts = accounts;
        this.reveal = reveal;
        this.validator = validator;
        this.clock = clock;
    }

    @Override
    public void getScoreAt(GetScoreAtRequest request, StreamObserver<GetScoreAtResponse> response) {
        Calls.answer(response, () -> {
            validator.validateLeadId(request.getLeadId(), "lead_id");
            Instant asOf = request.hasAsOf() ? asOf(request.getAsOf()) : nowFor(request.getLeadId());
            LeadHistory.ExplainedLead lead = history.score(request.getLeadId(), asOf);
            return GetScoreAtResponse.newBuilder().setScore(toProto(lead)).build();
        });
    }

    @Override
    public void explainScore(ExplainScoreRequest request, StreamObserver<ExplainScoreResponse> response) {
        Calls.answer(response, () -> {
            validator.validateLeadId(request.getLeadId(), "lead_id");
            LeadHistory.ExplainedLead lead = history.explain(
                    request.getLeadId(), request.hasAsOf() ? asOf(request.getAsOf()) : nowFor(request.getLeadId()));
            ExplainScoreResponse.Builder builder = ExplainScoreResponse.newBuilder().setScore(toProto(lead));
            for (ScoreExplanation.Line line : lead.explanation().lines()) {
                ScoreLine shown = ProtoMapper.toProto(line);
                builder.addLines(shown.toBuilder().setNote(reveal.apply(shown.getNote())));
            }
            return builder.build();
        });
    }

    @Override
    public void getStageHistory(GetStageHistoryRequest request, StreamObserver<GetStageHistoryResponse> response) {
        Calls.answer(response, () -> {
            validator.validateLeadId(request.getLeadId(), "lead_id");
            GetStageHistoryResponse.Builder builder = GetStageHistoryResponse.newBuilder();
            for (LeadState.StageEntry entry : history.stageHistory(request.getLeadId())) {
                StageChange.Builder change = StageChange.newBuilder()
                        .setStage(ProtoMapper.toProto(entry.stage()))
                        .setAt(ProtoMapper.toTimestamp(entry.at()))
                        .setCause(entry.cause().toLowerCase(java.util.Locale.ROOT))
                        .setTotalScore(entry.totalScore())
                        .setModelVersion(entry.modelVersion());
                if (entry.previousModelVersion() != null) {
                    change.setPreviousModelVersion(entry.previousModelVersion());
                }
                if (entry.transition() != null) {
                    var transition = entry.transition();
                    change.setActor(transition.actor()).setReasonCode(transition.reasonCode())
                          .setReason(reveal.apply(transition.reason()))
                          .setPreviousStage(ProtoMapper.toProto(transition.from()))
                          .setAmount(transition.amount())
                          .setCurrency(java.util.Objects.requireNonNullElse(transition.currency(), ""));
                    if (transition.bant() != null) {
                        change.setBant(io.leadscore.v1.Bant.newBuilder()
                                .setBudget(reveal.apply(transition.bant().budget()))
                                .setAuthority(reveal.apply(transition.bant().authority()))
                                .setNeed(reveal.apply(transition.bant().need()))
                                .setTimeline(reveal.apply(transition.bant().timeline())));
                    }
                }
                builder.addChanges(change);
            }
            return builder.build();
        });
    }

    @Override
    public void listLeads(ListLeadsRequest request, StreamObserver<ListLeadsResponse> response) {
        Calls.answer(response, () -> {
            int size = request.getPageSize() == 0 ? 50 : request.getPageSize();
            if (size < 1 || size > 500) {
                throw RequestValidator.invalid("page_size", "must be 1-500");
            }
            java.util.Set<io.leadscore.server.lead.api.LeadStage> stages =
                    ProtoMapper.toStages(request.getStagesList(), "stages");
            if (request.getOrder() == io.leadscore.v1.LeadOrder.UNRECOGNIZED) {
                throw RequestValidator.invalid("order", "is not a known order");
            }
            LeadQueue.Page page = queue.page(
                    new LeadQueue.Filter(stages, request.getBand(), request.getChannel(), request.getAccountDomain()),
                    request.getOrder() == io.leadscore.v1.LeadOrder.LEAD_ORDER_RECENCY ? LeadQueue.Order.RECENCY
                                                                                       : LeadQueue.Order.SCORE,
                    size, request.getPageToken());
            ListLeadsResponse.Builder builder = ListLeadsResponse.newBuilder()
                    .setNextPageToken(page.nextPageToken()).setTotalCount(page.totalCount());
            com.google.protobuf.Timestamp asOf = ProtoMapper.toTimestamp(page.asOf());
            page.leads().forEach(lead -> builder.addLeads(ProtoMapper.toProto(lead).toBuilder().setAsOf(asOf)));
            return builder.build();
        });
    }

    @Override
    public void getAccountScore(GetAccountScoreRequest request, StreamObserver<GetAccountScoreResponse> response) {
        Calls.answer(response, () -> {
            if (request.getAccountDomain().isEmpty() || request.getAccountDomain().length() > 253) {
                throw RequestValidator.invalid("account_domain", "must be 1-253 characters");
            }
            AccountScores.AccountScore account = accounts.score(request.getAccountDomain());
            GetAccountScoreResponse.Builder builder = GetAccountScoreResponse.newBuilder()
                    .setAccountDomain(account.accountDomain()).setContacts(account.contacts().size())
                    .setFitScore(account.fit()).setEngagementScore(account.engagement())
                    .setTotalScore(account.total()).setRollup(account.rollup());
            account.contacts().stream().limit(20).forEach(lead -> builder.addTopContacts(ProtoMapper.toProto(lead)));
            return builder.build();
        });
    }

    @Override
    public void watchLeads(WatchLeadsRequest request, StreamObserver<WatchLeadsResponse> response) {
        Calls.start(response, () -> {
            java.util.Set<io.leadscore.server.lead.api.LeadStage> stages =
                    ProtoMapper.toStages(request.getStagesList(), "stages");
            if (!Double.isFinite(request.getMinTotalScore())) {
                throw RequestValidator.invalid("min_total_score", "must be a finite number");
            }
            watches.start(new LeadWatch.Filter(stages, request.getMinTotalScore(), request.getChannel(),
                                               request.getAccountDomain()),
                          request.getResumeToken(),
                          new WatchLeadsCall((io.grpc.stub.ServerCallStreamObserver<WatchLeadsResponse>) response));
        });
    }

    /** Any time is a fair question, but it must be a valid timestamp. */
    private Instant asOf(Timestamp timestamp) {
        if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw RequestValidator.invalid("as_of", "has nanos outside 0..999999999");
        }
        Instant asOf = ProtoMapper.toInstant(timestamp, "as_of");
        if (asOf.isBefore(EARLIEST_AS_OF) || asOf.isAfter(LATEST_AS_OF)) {
            throw RequestValidator.invalid("as_of", "must be between years 1995 and 2200");
        }
        return asOf;
    }

    private static io.leadscore.v1.LeadScore toProto(LeadHistory.ExplainedLead lead) {
        return ProtoMapper.toProto(lead.lead()).toBuilder().setAsOf(ProtoMapper.toTimestamp(lead.asOf())).build();
    }

    /** The score as of now: decay and windows run up to the moment of the call. */
    @Override
    public void getScore(GetScoreRequest request, StreamObserver<GetScoreResponse> response) {
        Calls.answer(response, () -> {
            validator.validateLeadId(request.getLeadId(), "lead_id");
            return GetScoreResponse.newBuilder().setScore(scoreNow(request.getLeadId())).build();
        });
    }

    /** Known leads come from the projection; their score is computed as of now from the lead's facts. */
    private io.leadscore.v1.LeadScore scoreNow(String leadId) {
        LeadSnapshot row = scores.find(leadId).orElseThrow(
                () -> new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "lead_id", "no lead with this id is scored"));
        return toProto(history.score(leadId, row.readableAt(clock.instant()), row.version()));
    }

    /**
     * "Now" for one lead ({@link LeadSnapshot#readableAt}); a lead the projection has not seen yet is looked up in
     * its history.
     */
    private Instant nowFor(String leadId) {
        Instant now = clock.instant();
        return scores.find(leadId).map(row -> row.readableAt(now))
                     .orElseGet(() -> LeadSnapshot.readableAt(history.score(leadId, null).asOf(), now));
    }

    /**
     * One lead of a batch: its score, or empty when there is no such lead (also when it is in the projection but its
     * history says otherwise), so one lead never fails the others. Failures of the server itself still fail it.
     */
    private java.util.Optional<io.leadscore.v1.LeadScore> scoreInBatch(String leadId) {
        if (scores.find(leadId).isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(scoreNow(leadId));
        } catch (LeadscoreException e) {
            if (e.code() == ErrorCode.LEAD_NOT_FOUND) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void batchGetScores(BatchGetScoresRequest request, StreamObserver<BatchGetScoresResponse> response) {
        Calls.answer(response, () -> {
            if (request.getLeadIdsCount() > MAX_BATCH) {
                throw RequestValidator.invalid("lead_ids", "has " + request.getLeadIdsCount()
                                                           + " entries; at most " + MAX_BATCH);
            }
            BatchGetScoresResponse.Builder builder = BatchGetScoresResponse.newBuilder();
            for (int i = 0; i < request.getLeadIdsCount(); i++) {
                String leadId = request.getLeadIds(i);
                validator.validateLeadId(leadId, "lead_ids[" + i + "]");
                java.util.Optional<io.leadscore.v1.LeadScore> score = scoreInBatch(leadId);
                if (score.isPresent()) {
                    builder.addScores(score.get());
                } else {
                    builder.addNotFoundLeadIds(leadId);
                }
            }
            return builder.build();
        });
    }
}
