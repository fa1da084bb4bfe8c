package io.leadscore.client.impl;

import io.leadscore.client.Timestamps;
import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.BatchGetScoresResponse;
import com.google.protobuf.Timestamp;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RecordEngagementResponse;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RegisterLeadResponse;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.StreamEngagementsRequest;
import io.leadscore.v1.StreamEngagementsResponse;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.UpdateProfileResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The gRPC implementation of {@link LeadscoreClient}. */
public final class GrpcLeadscoreClient implements LeadscoreClient {

    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_BACKOFF_MILLIS = 50;

    private final LeadServiceGrpc.LeadServiceBlockingStub leads;
    private final LeadServiceGrpc.LeadServiceStub leadsAsync;
    private final ScoreServiceGrpc.ScoreServiceBlockingStub scores;
    private final Duration deadline;

    public GrpcLeadscoreClient(Channel channel, Duration deadline) {
        this.leads = LeadServiceGrpc.newBlockingStub(channel);
        this.leadsAsync = LeadServiceGrpc.newStub(channel);
        this.scores = ScoreServiceGrpc.newBlockingStub(channel);
        this.deadline = deadline;
    }

    @Override
    public RegisterLeadResponse registerLead(RegisterLeadRequest request) {
        return withRetries(callDeadline -> leads.withDeadline(callDeadline)
                                             .registerLead(request));
    }

    @Override
    public UpdateProfileResponse updateProfile(UpdateProfileRequest request) {
        return withRetries(callDeadline -> leads.withDeadline(callDeadline)
                                             .updateProfile(request));
    }

    @Override
    public RecordEngagementResponse recordEngagement(Engagement engagement) {
        RecordEngagementRequest request = RecordEngagementRequest.newBuilder().setEngagement(engagement).build();
        return withRetries(callDeadline -> leads.withDeadline(callDeadline)
                                             .recordEngagement(request));
    }

    @Override
    public io.leadscore.v1.ImportOutcomeResponse importOutcome(io.leadscore.v1.ImportOutcomeRequest request) {
        return withRetries(callDeadline -> leads.withDeadline(callDeadline)
                                             .importOutcome(request));
    }

    @Override
    public io.leadscore.v1.ImportLeadResponse importLead(io.leadscore.v1.ImportLeadRequest request) {
        return withRetries(callDeadline -> leads.withDeadline(callDeadline).importLead(request));
    }

    @Override
    public io.leadscore.v1.EraseLeadResponse eraseLead(io.leadscore.v1.EraseLeadRequest request) {
        return withRetries(callDeadline -> leads.withDeadline(callDeadline).eraseLead(request));
    }

    @Override
    public AdjustScoreResponse adjustScore(AdjustScoreRequest request) {
        return withRetries(callDeadline -> leads.withDeadline(callDeadline)
                                             .adjustScore(request));
    }

    @Override
    public StreamEngagementsResponse streamEngagements(Iterator<Engagement> engagements) {
        CompletableFuture<StreamEngagementsResponse> summary = new CompletableFuture<>();
        leadsAsync.streamEngagements(new FlowControlledSender(engagements, summary));
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

    /**
     * Sends only while the transport is ready (gRPC's manual flow control), so a large file is never buffered in
     * memory ahead of what the server accepts.
     */
    private static final class FlowControlledSender
            implements ClientResponseObserver<StreamEngagementsRequest, StreamEngagementsResponse> {

        private final Iterator<Engagement> engagements;
        private final CompletableFuture<StreamEngagementsResponse> summary;
        private boolean done;

        FlowControlledSender(Iterator<Engagement> engagements, CompletableFuture<StreamEngagementsResponse> summary) {
            this.engagements = engagements;
            this.summary = summary;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<StreamEngagementsRequest> requests) {
            requests.setOnReadyHandler(() -> {
                synchronized (this) {
                    while (!done && requests.isReady()) {
                        if (!engagements.hasNext()) {
                            done = true;
                            requests.onCompleted();
                            return;
                        }
                        try {
                            requests.onNext(StreamEngagementsRequest.newBuilder()
                                                    .setEngagement(engagements.next()).build());
                        } catch (RuntimeException e) {
                            done = true;
                            requests.onError(e);
                            summary.completeExceptionally(e);
                            return;
                        }
                    }
                }
            });
        }

        @Override
        public void onNext(StreamEngagementsResponse response) {
            summary.complete(response);
        }

        @Override
        public void onError(Throwable t) {
            summary.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            summary.completeExceptionally(
                    Status.INTERNAL.withDescription("stream ended without a summary").asRuntimeException());
        }
    }

    @Override
    public LeadScore getScore(String leadId) {
        return withRetries(callDeadline -> scores.withDeadline(callDeadline)
                                              .getScore(GetScoreRequest.newBuilder().setLeadId(leadId).build())
                                       .getScore());
    }

    @Override
    public BatchGetScoresResponse batchGetScores(List<String> leadIds) {
        return withRetries(callDeadline -> scores.withDeadline(callDeadline)
                                              .batchGetScores(BatchGetScoresRequest.newBuilder()
                                                                            .addAllLeadIds(leadIds).build()));
    }

    @Override
    public LeadScore getScoreAt(String leadId, Instant asOf) {
        GetScoreAtRequest.Builder request = GetScoreAtRequest.newBuilder().setLeadId(leadId);
        if (asOf != null) {
            request.setAsOf(Timestamps.of(asOf));
        }
        return withRetries(callDeadline -> scores.withDeadline(callDeadline)
                                              .getScoreAt(request.build()).getScore());
    }

    @Override
    public ExplainScoreResponse explainScore(String leadId, Instant asOf) {
        ExplainScoreRequest.Builder request = ExplainScoreRequest.newBuilder().setLeadId(leadId);
        if (asOf != null) {
            request.setAsOf(Timestamps.of(asOf));
        }
        return withRetries(callDeadline -> scores.withDeadline(callDeadline)
                                              .explainScore(request.build()));
    }

    /**
     * Runs {@code call} until it succeeds, retrying only what is worth retrying: {@code UNAVAILABLE}, and
     * {@code RESOURCE_EXHAUSTED} when the server says when to come back ({@code google.rpc.RetryInfo}, sent when it
     * is at its in-flight limit; other exhaustion, such as a message over the size limit, would fail again). Waits
     * full-jitter exponential backoff, at least the server's retry delay, and never past the one deadline that all
     * attempts share.
     */
    private <T> T withRetries(Function<Deadline, T> call) {
        Deadline callDeadline = Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS);
        for (int attempt = 1; ; attempt++) {
            try {
                return call.apply(callDeadline);
            } catch (StatusRuntimeException e) {
                Optional<Duration> serverDelay = RetryAdvice.retryDelay(e);
                boolean retryable = e.getStatus().getCode() == Status.Code.UNAVAILABLE
                                    || e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED
                                       && serverDelay.isPresent();
                if (!retryable || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                long backoff = serverDelay.orElse(Duration.ZERO).toMillis()
                               + ThreadLocalRandom.current().nextLong(BASE_BACKOFF_MILLIS << attempt);
                if (callDeadline.timeRemaining(TimeUnit.MILLISECONDS) <= backoff) {
                    throw e;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
