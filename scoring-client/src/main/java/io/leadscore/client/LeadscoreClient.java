package io.leadscore.client;

import io.grpc.Channel;
import io.leadscore.client.impl.GrpcLeadscoreClient;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.AcceptLeadResponse;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.BacktestProgress;
import io.leadscore.v1.BacktestReport;
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
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.v1.GetAccountScoreResponse;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.GetFunnelReportResponse;
import io.leadscore.v1.GetModelRequest;
import io.leadscore.v1.GetModelResponse;
import io.leadscore.v1.GetStageHistoryResponse;
import io.leadscore.v1.ImportLeadRequest;
import io.leadscore.v1.ImportLeadResponse;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.ImportOutcomeResponse;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.ListLeadsResponse;
import io.leadscore.v1.ListModelsResponse;
import io.leadscore.v1.PublishModelRequest;
import io.leadscore.v1.PublishProgress;
import io.leadscore.v1.PublishSummary;
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
import io.leadscore.v1.RunBacktestRequest;
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
import java.util.function.Consumer;

/**
 * A client for the whole Leadscore API over a caller-owned {@link Channel} (see {@link ChannelSecurity} for TLS and
 * tokens): one method per RPC, named as the RPC in lower camel case. Failures surface as
 * {@link io.grpc.StatusRuntimeException}.
 * <p>
 * Deadlines: every call has the client's deadline ({@link #create(Channel, Duration)}), one deadline for all its
 * attempts; calls that take longer (backtests, funnel reports, publishes) take a client {@link #withDeadline} a
 * longer one. The only call without it is {@link #watchLeads(WatchLeadsRequest)}, which runs until closed.
 * <p>
 * Retries: a call is tried again, with jittered exponential backoff and never past its deadline, after
 * {@code RESOURCE_EXHAUSTED} that says when to retry (the server's admission limit, which refuses before doing
 * anything), and after {@code UNAVAILABLE} as far as that is safe:
 * <ul>
 * <li><b>idempotent</b> calls (reads, and writes the server recognises when repeated) after any
 * {@code UNAVAILABLE};</li>
 * <li><b>not idempotent</b> writes (sales transitions, model changes) only when the call never reached a connection
 * to the server, so the server cannot have seen it. A server that answers {@code UNAVAILABLE}, or a connection lost
 * after sending, may have done the write, and a second attempt would do it again or be refused for it;</li>
 * <li>streams are never restarted once the server has answered, and the two that the caller drives
 * ({@link #streamEngagements}, {@link #watchLeads}) are not retried at all.</li>
 * </ul>
 * Each method says which it is and why.
 */
public interface LeadscoreClient {

    /** A client with a 10-second deadline per call. */
    static LeadscoreClient create(Channel channel) {
        return create(channel, Duration.ofSeconds(10));
    }

    /** A client with the given deadline per call. */
    static LeadscoreClient create(Channel channel, Duration deadline) {
        return new GrpcLeadscoreClient(channel, deadline);
    }

    /** A client on the same channel whose calls have {@code deadline} instead, for calls that take longer. */
    LeadscoreClient withDeadline(Duration deadline);

    // LeadService: facts about leads

    /**
     * Registers a lead. Retried (idempotent): registering again with the same details changes nothing; after a lost
     * answer the retry's answer says {@code already_registered}.
     */
    RegisterLeadResponse registerLead(RegisterLeadRequest request);

    /**
     * Replaces a lead's fit profile. Retried (idempotent): the same profile at the same {@code updated_at} is stored
     * once. Without {@code updated_at} the server stamps each attempt, so a retry after a lost answer may store the
     * same profile a second time a moment later; the lead's profile and scores are the same either way.
     */
    UpdateProfileResponse updateProfile(UpdateProfileRequest request);

    /** Records one engagement. Retried (idempotent): an event id already stored counts as a duplicate. */
    RecordEngagementResponse recordEngagement(Engagement engagement);

    /**
     * Sends engagements on one stream and waits for the summary, within the client's deadline (give a long stream
     * a client {@link #withDeadline} to match). Not retried: the client cannot know how much of the stream was
     * stored; resend the same events on failure, those already stored count as duplicates.
     */
    StreamEngagementsResponse streamEngagements(Iterator<Engagement> engagements);

    /** Adjusts a lead's score by hand. Retried (idempotent): the adjustment id makes a repeat a duplicate. */
    AdjustScoreResponse adjustScore(AdjustScoreRequest request);

    /**
     * Records an outcome decided in another system (history). Retried (idempotent): the same outcome at the same time
     * is stored once.
     */
    ImportOutcomeResponse importOutcome(ImportOutcomeRequest request);

    /**
     * Imports one lead's whole history as one write, stored all or none (admin role). Retried (idempotent): the
     * server skips what it has, so a repeated import stores nothing.
     */
    ImportLeadResponse importLead(ImportLeadRequest request);

    /**
     * Erases a lead's personal data (admin role). Retried (idempotent): erasing again changes nothing and answers
     * {@code already_erased}.
     */
    EraseLeadResponse eraseLead(EraseLeadRequest request);

    // LeadService: the sales handoff
    // A transition carries no id the server could recognise a repeat by: after one that worked, the same request is
    // refused (the stage has moved on) or, if the lead came back to the stage meanwhile, done a second time. So none
    // is sent again once it may have reached the server.

    /** Accepts an MQL: it becomes an SQL, with BANT. Not idempotent: retried only if it never reached the server. */
    AcceptLeadResponse acceptLead(AcceptLeadRequest request);

    /** Rejects an MQL back to nurture. Not idempotent: retried only if it never reached the server. */
    RejectLeadResponse rejectLead(RejectLeadRequest request);

    /** Takes a lead out of the funnel. Not idempotent: retried only if it never reached the server. */
    DisqualifyLeadResponse disqualifyLead(DisqualifyLeadRequest request);

    /** Opens an opportunity for an SQL. Not idempotent: retried only if it never reached the server. */
    RecordOpportunityResponse recordOpportunity(RecordOpportunityRequest request);

    /** Closes the opportunity as won. Not idempotent: retried only if it never reached the server. */
    CloseWonResponse closeWon(CloseWonRequest request);

    /** Closes the opportunity as lost (recycles the lead). Not idempotent: retried only if never sent to the server. */
    CloseLostResponse closeLost(CloseLostRequest request);

    /** Brings a disqualified lead back into the funnel. Not idempotent: retried only if never sent to the server. */
    ReopenLeadResponse reopenLead(ReopenLeadRequest request);

    // ScoreService: reads, all retried (idempotent)

    LeadScore getScore(String leadId);

    /**
     * The lead's score once the answering node has applied store position {@code minPosition} (a command reply's
     * {@code position}): read-your-writes on any node. UNAVAILABLE (retried) if it has not within 5 s.
     */
    LeadScore getScore(String leadId, long minPosition);

    BatchGetScoresResponse batchGetScores(List<String> leadIds);

    /** The lead's score as of {@code asOf} (now when null), computed from its stored events. */
    LeadScore getScoreAt(String leadId, Instant asOf);

    /** Why the lead has its score as of {@code asOf} (its current score when null), line by line. */
    ExplainScoreResponse explainScore(String leadId, Instant asOf);

    /** Every stage the lead entered, with what caused it. */
    GetStageHistoryResponse getStageHistory(String leadId);

    /** A page of leads, filtered and ordered (a sales queue); page on with {@code next_page_token}. */
    ListLeadsResponse listLeads(ListLeadsRequest request);

    /** An account's rolled-up score and its top contacts. */
    GetAccountScoreResponse getAccountScore(String accountDomain);

    /**
     * Opens a watch on lead alerts, without a deadline: it runs until the caller closes it, the server ends it, or
     * the channel shuts down. Not retried: reconnect with the last alert's resume token (see {@link LeadAlerts}).
     */
    LeadAlerts watchLeads(WatchLeadsRequest request);

    /** {@link #watchLeads(WatchLeadsRequest)} that ends with {@code DEADLINE_EXCEEDED} after {@code deadline}. */
    LeadAlerts watchLeads(WatchLeadsRequest request, Duration deadline);

    // ModelService

    /** Checks a model document and lists every problem; stores nothing. Retried (idempotent: a read). */
    ValidateModelResponse validateModel(ValidateModelRequest request);

    /**
     * Stores a model document as a draft version. Not idempotent: versions are immutable, so a repeat after one that
     * worked is refused with {@code ALREADY_EXISTS}; retried only if it never reached the server.
     */
    CreateModelResponse createModel(CreateModelRequest request);

    /** A stored version and its document (version 0: the model's highest). Retried (idempotent: a read). */
    GetModelResponse getModel(GetModelRequest request);

    /** Every stored model version. Retried (idempotent: a read). */
    ListModelsResponse listModels();

    /**
     * Makes a stored version the active model and waits while the server rescores every lead; {@code progress} is
     * told how far the replay is, on the calling thread. Give it a client {@link #withDeadline} long enough for the
     * replay. Not idempotent: a repeat after one that worked is refused (the version is already active) instead of
     * answering with the summary, or, if someone published in between, publishes again; retried only if it never
     * reached the server, and never once progress arrived.
     */
    PublishSummary publishModel(PublishModelRequest request, Consumer<PublishProgress> progress);

    /**
     * Goes back to the previously active model (or the version named) and waits while the server rescores, as
     * {@link #publishModel}. Not idempotent: without a version a repeat goes back one model further; retried only if
     * it never reached the server, and never once progress arrived.
     */
    PublishSummary rollbackModel(RollbackModelRequest request, Consumer<PublishProgress> progress);

    // BacktestService

    /**
     * Replays stored history through candidate models and waits for the report; {@code progress} is told how far
     * the replay is, on the calling thread. Give it a client {@link #withDeadline} long enough for the replay.
     * Retried (idempotent: it reads only) until the server's first progress message; after that a failure ends it,
     * since starting again would repeat the whole replay.
     */
    BacktestReport runBacktest(RunBacktestRequest request, Consumer<BacktestProgress> progress);

    // AnalyticsService

    /** Records marketing spend. Retried (idempotent): the same spend id with the same details changes nothing. */
    RecordSpendResponse recordSpend(RecordSpendRequest request);

    /**
     * The funnel of the leads registered in a window. It reads the whole window, so give it a client
     * {@link #withDeadline} to match. Retried (idempotent: a read), each attempt computing the report again.
     */
    GetFunnelReportResponse getFunnelReport(GetFunnelReportRequest request);
}
