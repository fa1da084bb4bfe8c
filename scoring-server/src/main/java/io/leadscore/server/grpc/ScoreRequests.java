package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.readside.LeadQueue;
import io.leadscore.server.readside.LeadWatch;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.GetAccountScoreRequest;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.LeadOrder;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.WatchLeadsRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.leadscore.server.grpc.RequestValidator.invalid;

/**
 * The one validation of each {@code leadscore.v1.ScoreService} request, which turns it into the query it asks:
 * a lead id, a lead at a time, a page of the queue, a watch. Whether the lead exists is the query's answer, not a
 * check here.
 */
public final class ScoreRequests {

    static final int MAX_BATCH = 1000;
    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final Instant EARLIEST_AS_OF = Instant.parse("1995-01-01T00:00:00Z");
    private static final Instant LATEST_AS_OF = Instant.parse("2200-01-01T00:00:00Z");

    /** A lead's score asked for at {@code asOf}; empty: as of now for that lead. */
    record LeadAt(String leadId, Optional<Instant> asOf) {
    }

    /** One page of the sales queue. */
    record QueuePage(LeadQueue.Filter filter, LeadQueue.Order order, int pageSize, String pageToken) {
    }

    /** The leads to watch, from where an earlier watch left off ({@code resumeToken}, empty for from now). */
    record Watch(LeadWatch.Filter filter, String resumeToken) {
    }

    private final RequestValidator validator;

    public ScoreRequests(RequestValidator validator) {
        this.validator = validator;
    }

    /** The store position a read must wait for; 0 for none. */
    long minPosition(long minPosition) {
        if (minPosition < 0) {
            throw invalid("min_position", "must not be negative");
        }
        return minPosition;
    }

    /** The lead id. */
    String getScore(GetScoreRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        return request.getLeadId();
    }

    LeadAt getScoreAt(GetScoreAtRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        return new LeadAt(request.getLeadId(), request.hasAsOf() ? Optional.of(asOf(request.getAsOf()))
                                                                 : Optional.empty());
    }

    LeadAt explainScore(ExplainScoreRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        return new LeadAt(request.getLeadId(), request.hasAsOf() ? Optional.of(asOf(request.getAsOf()))
                                                                 : Optional.empty());
    }

    /** The lead id. */
    String getStageHistory(GetStageHistoryRequest request) {
        validator.validateLeadId(request.getLeadId(), "lead_id");
        return request.getLeadId();
    }

    QueuePage listLeads(ListLeadsRequest request) {
        int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
        if (size < 1 || size > 500) {
            throw invalid("page_size", "must be 1-500");
        }
        Set<LeadStage> stages = RequestValidator.validateStages(request.getStagesList(), "stages");
        if (request.getOrder() == LeadOrder.UNRECOGNIZED) {
            throw invalid("order", "is not a known order");
        }
        return new QueuePage(
                new LeadQueue.Filter(stages, request.getBand(), request.getChannel(), request.getAccountDomain()),
                request.getOrder() == LeadOrder.LEAD_ORDER_RECENCY ? LeadQueue.Order.RECENCY : LeadQueue.Order.SCORE,
                size, request.getPageToken());
    }

    /** The account domain. */
    String getAccountScore(GetAccountScoreRequest request) {
        if (request.getAccountDomain().isEmpty() || request.getAccountDomain().length() > 253) {
            throw invalid("account_domain", "must be 1-253 characters");
        }
        return request.getAccountDomain();
    }

    Watch watchLeads(WatchLeadsRequest request) {
        Set<LeadStage> stages = RequestValidator.validateStages(request.getStagesList(), "stages");
        if (!Double.isFinite(request.getMinTotalScore())) {
            throw invalid("min_total_score", "must be a finite number");
        }
        return new Watch(new LeadWatch.Filter(stages, request.getMinTotalScore(), request.getChannel(),
                                              request.getAccountDomain()),
                         request.getResumeToken());
    }

    /**
     * The lead ids, every one checked before any is looked up: a batch with a malformed id is refused whole, while
     * an unknown one is only reported as not found.
     */
    List<String> batchGetScores(BatchGetScoresRequest request) {
        if (request.getLeadIdsCount() > MAX_BATCH) {
            throw invalid("lead_ids", "has " + request.getLeadIdsCount() + " entries; at most " + MAX_BATCH);
        }
        for (int i = 0; i < request.getLeadIdsCount(); i++) {
            validator.validateLeadId(request.getLeadIds(i), "lead_ids[" + i + "]");
        }
        return request.getLeadIdsList();
    }

    /** Any time is a fair question, but it must be a valid timestamp. */
    private static Instant asOf(Timestamp timestamp) {
        if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw invalid("as_of", "has nanos outside 0..999999999");
        }
        Instant asOf = RequestValidator.validateTimestamp(timestamp, "as_of");
        if (asOf.isBefore(EARLIEST_AS_OF) || asOf.isAfter(LATEST_AS_OF)) {
            throw invalid("as_of", "must be between years 1995 and 2200");
        }
        return asOf;
    }
}
