package io.leadscore.client;

import io.grpc.Channel;
import io.leadscore.client.impl.GrpcLeadscoreClient;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.RecordEngagementResponse;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RegisterLeadResponse;
import io.leadscore.v1.StreamEngagementsResponse;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.UpdateProfileResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;

/**
 * A small client for Leadscore over a caller-owned {@link Channel} (see {@link ChannelSecurity} for TLS and
 * tokens). Every unary call has one deadline for all its attempts and is retried with jittered backoff on
 * {@code UNAVAILABLE}, and on {@code RESOURCE_EXHAUSTED} when the server says when to retry: all writes this client
 * offers are idempotent (engagements by event id, registrations by identical details, adjustments by id), so a
 * retry after a lost reply is safe. Failures surface as {@link io.grpc.StatusRuntimeException}.
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

    RegisterLeadResponse registerLead(RegisterLeadRequest request);

    UpdateProfileResponse updateProfile(UpdateProfileRequest request);

    RecordEngagementResponse recordEngagement(Engagement engagement);

    /** Records an outcome decided in another system (history); repeating the same outcome changes nothing. */
    io.leadscore.v1.ImportOutcomeResponse importOutcome(io.leadscore.v1.ImportOutcomeRequest request);

    /**
     * Imports one lead's whole history as one write, stored all or none (admin role); retried like every write,
     * since a repeated import stores nothing.
     */
    io.leadscore.v1.ImportLeadResponse importLead(io.leadscore.v1.ImportLeadRequest request);

    /** Erases a lead's personal data (admin role); retried like every write, since erasing twice changes nothing. */
    io.leadscore.v1.EraseLeadResponse eraseLead(io.leadscore.v1.EraseLeadRequest request);

    /** Adjusts a lead's score by hand; retried like every write, since the adjustment id makes it idempotent. */
    AdjustScoreResponse adjustScore(AdjustScoreRequest request);

    /**
     * Sends engagements on one stream and waits for the summary. Not retried: resend the same events on failure,
     * they count as duplicates where already stored.
     */
    StreamEngagementsResponse streamEngagements(Iterator<Engagement> engagements);

    LeadScore getScore(String leadId);

    BatchGetScoresResponse batchGetScores(List<String> leadIds);

    /** The lead's score as of {@code asOf} (now when null), computed from its stored events. */
    LeadScore getScoreAt(String leadId, Instant asOf);

    /** Why the lead has its score as of {@code asOf} (its current score when null), line by line. */
    ExplainScoreResponse explainScore(String leadId, Instant asOf);
}
