package io.leadscore.server.grpc;

import io.grpc.stub.StreamObserver;
import java.util.function.UnaryOperator;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.readside.LeadScoreStore;
import io.leadscore.server.readside.ProjectionProgress;
import io.leadscore.server.readside.LeadHistory;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.readside.AccountScores;
import io.leadscore.server.readside.LeadQueue;
import io.leadscore.v1.GetAccountScoreRequest;
import io.leadscore.v1.GetAccountScoreResponse;
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
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * {@code leadscore.v1.ScoreService}: reads each request through {@link ScoreRequests} (which refuses what is
 * invalid), then answers from the in-memory score projection, never touching the store.
 */
public final class ScoreGrpcService extends ScoreServiceGrpc.ScoreServiceImplBase {

    private final LeadScoreStore scores;
    private final LeadHistory history;
    private final LeadQueue queue;
    private final WatchRunner watches;
    private final AccountScores accounts;
    /** Opens sealed personal values (adjustment and transition reasons) where they are shown. */
    private final UnaryOperator<String> reveal;
    private final ScoreRequests requests;
    private final Clock clock;
    private final ProjectionProgress progress;
    private final io.leadscore.server.scoring.ScoringModel model;
    private final ScoreNowAnswers answers = new ScoreNowAnswers();
    /** Where reads that waited for a position run, off the thread that saw the projection get there. */
    private final java.util.concurrent.Executor waitedReads;

    /**
     * @param queue  the sales queue, ranking leads as GetScore shows them
     * @param reveal opens sealed personal values with their lead's key, or shows them as erased
     * @param progress    how far the projection has got, for reads asking for a {@code min_position}
     * @param waitedReads runs the reads that waited for their position
     * @param model       the active model, whose version a held answer must have been scored by
     */
    public ScoreGrpcService(LeadScoreStore scores, LeadHistory history, LeadQueue queue, WatchRunner watches,
                            AccountScores accounts, UnaryOperator<String> reveal, ScoreRequests requests,
                            Clock clock, ProjectionProgress progress, java.util.concurrent.Executor waitedReads,
                            io.leadscore.server.scoring.ScoringModel model) {
        this.model = model;
        this.progress = progress;
        this.waitedReads = waitedReads;
        this.scores = scores;
        this.history = history;
        this.queue = queue;
        this.watches = watches;
        this.accounts = accounts;
        this.reveal = reveal;
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public void getScoreAt(GetScoreAtRequest request, StreamObserver<GetScoreAtResponse> response) {
        Calls.answer(response, () -> {
            ScoreRequests.LeadAt query = requests.getScoreAt(request);
            LeadHistory.ExplainedLead lead = history.score(query.leadId(), asOfOrNow(query));
            return GetScoreAtResponse.newBuilder().setScore(toProto(lead)).build();
        });
    }

    @Override
    public void explainScore(ExplainScoreRequest request, StreamObserver<ExplainScoreResponse> response) {
        Calls.answer(response, () -> {
            ScoreRequests.LeadAt query = requests.explainScore(request);
            LeadHistory.ExplainedLead lead = history.explain(query.leadId(), asOfOrNow(query),
                                                             request.getEveryEngagement());
            ExplainScoreResponse.Builder builder = ExplainScoreResponse.newBuilder().setScore(toProto(lead))
                    .setSummarized(lead.explanation().lines().stream().anyMatch(
                            line -> line.kind() == ScoreExplanation.Kind.ENGAGEMENT_SUMMARY));
            for (ScoreExplanation.Line line : lead.explanation().lines()) {
                ScoreLine shown = ScoreMessages.toProto(line);
                builder.addLines(shown.toBuilder().setNote(reveal.apply(shown.getNote())));
            }
            return builder.build();
        });
    }

    @Override
    public void getStageHistory(GetStageHistoryRequest request, StreamObserver<GetStageHistoryResponse> response) {
        Calls.answer(response, () -> {
            String leadId = requests.getStageHistory(request);
            GetStageHistoryResponse.Builder builder = GetStageHistoryResponse.newBuilder();
            for (LeadState.StageEntry entry : history.stageHistory(leadId)) {
                StageChange.Builder change = StageChange.newBuilder()
                        .setStage(LeadMessages.toProto(entry.stage()))
                        .setAt(ProtoTime.toTimestamp(entry.at()))
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
                          .setPreviousStage(LeadMessages.toProto(transition.from()))
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
        afterPosition(response, () -> requests.minPosition(request.getMinPosition()), position -> {
            ScoreRequests.QueuePage wanted = requests.listLeads(request);
            LeadQueue.Page page = queue.page(wanted.filter(), wanted.order(), wanted.pageSize(), wanted.pageToken());
            ListLeadsResponse.Builder builder = ListLeadsResponse.newBuilder()
                    .setNextPageToken(page.nextPageToken()).setTotalCount(page.totalCount());
            com.google.protobuf.Timestamp asOf = ProtoTime.toTimestamp(page.asOf());
            page.leads().forEach(lead -> builder.addLeads(LeadMessages.toProto(lead).toBuilder().setAsOf(asOf)));
            return builder.setPosition(position).build();
        });
    }

    @Override
    public void getAccountScore(GetAccountScoreRequest request, StreamObserver<GetAccountScoreResponse> response) {
        Calls.answer(response, () -> {
            AccountScores.AccountScore account = accounts.score(requests.getAccountScore(request));
            GetAccountScoreResponse.Builder builder = GetAccountScoreResponse.newBuilder()
                    .setAccountDomain(account.accountDomain()).setContacts(account.contacts().size())
                    .setFitScore(account.fit()).setEngagementScore(account.engagement())
                    .setTotalScore(account.total()).setRollup(account.rollup());
            account.contacts().stream().limit(20).forEach(lead -> builder.addTopContacts(LeadMessages.toProto(lead)));
            return builder.build();
        });
    }

    @Override
    public void watchLeads(WatchLeadsRequest request, StreamObserver<WatchLeadsResponse> response) {
        Calls.start(response, () -> {
            ScoreRequests.Watch watch = requests.watchLeads(request);
            watches.start(watch.filter(), watch.resumeToken(),
                          new WatchLeadsCall((io.grpc.stub.ServerCallStreamObserver<WatchLeadsResponse>) response));
        });
    }

    /** The time asked about, or now for that lead when the request names none. */
    private Instant asOfOrNow(ScoreRequests.LeadAt query) {
        return query.asOf().orElseGet(() -> nowFor(query.leadId()));
    }

    private static io.leadscore.v1.LeadScore toProto(LeadHistory.ExplainedLead lead) {
        return LeadMessages.toProto(lead.lead()).toBuilder().setAsOf(ProtoTime.toTimestamp(lead.asOf())).build();
    }

    /**
     * Answers with {@code read} once the projection has applied the request's {@code min_position} (at once
     * without one), handing it the position the projection had reached before the read, which the answer carries.
     * A wait is bounded by {@link #MAX_POSITION_WAIT} and the call's deadline.
     */
    private <T> void afterPosition(StreamObserver<T> response, java.util.function.LongSupplier minPosition,
                                   java.util.function.LongFunction<T> read) {
        Calls.answerLater(response, () -> {
            long wanted = minPosition.getAsLong();
            if (wanted == 0) {
                return CompletableFuture.completedFuture(read.apply(progress.appliedPosition()));
            }
            CompletableFuture<Long> reached = progress.await(wanted, positionWait());
            // Already there (the usual case): read at once, on this call's thread.
            return reached.isDone() ? reached.thenApply(at -> read.apply(progress.appliedPosition()))
                    : reached.thenApplyAsync(at -> read.apply(progress.appliedPosition()), waitedReads);
        });
    }

    private static final Duration MAX_POSITION_WAIT = Duration.ofSeconds(5);

    private static Duration positionWait() {
        io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
        if (deadline == null) {
            return MAX_POSITION_WAIT;
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline.timeRemaining(java.util.concurrent.TimeUnit.NANOSECONDS)));
        return left.compareTo(MAX_POSITION_WAIT) < 0 ? left : MAX_POSITION_WAIT;
    }

    /** The score as of now: decay and windows run up to the moment of the call. */
    @Override
    public void getScore(GetScoreRequest request, StreamObserver<GetScoreResponse> response) {
        afterPosition(response, () -> requests.minPosition(request.getMinPosition()),
                      position -> GetScoreResponse.newBuilder().setScore(scoreNow(requests.getScore(request)))
                                                  .setPosition(position).build());
    }

    /**
     * Known leads come from the projection; their score is computed as of now, to the millisecond, from the lead's
     * facts, once per lead, version, model and millisecond ({@link ScoreNowAnswers}).
     */
    private io.leadscore.v1.LeadScore scoreNow(String leadId) {
        LeadSnapshot row = scores.find(leadId).orElseThrow(
                () -> new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "lead_id", "no lead with this id is scored"));
        Instant asOf = row.readableAt(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        return answers.get(leadId, row.version(), model.version(), asOf,
                           () -> toProto(history.score(leadId, asOf, row.version())));
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
        afterPosition(response, () -> requests.minPosition(request.getMinPosition()), position -> {
            java.util.List<String> leadIds = requests.batchGetScores(request);
            BatchGetScoresResponse.Builder builder = BatchGetScoresResponse.newBuilder();
            for (String leadId : leadIds) {
                java.util.Optional<io.leadscore.v1.LeadScore> score = scoreInBatch(leadId);
                if (score.isPresent()) {
                    builder.addScores(score.get());
                } else {
                    builder.addNotFoundLeadIds(leadId);
                }
            }
            return builder.setPosition(position).build();
        });
    }
}
