package io.leadscore.server.grpc;

import io.leadscore.server.analytics.FunnelGrouping;
import io.leadscore.server.analytics.RecordSpendCommand;
import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.RecordSpendRequest;

import java.time.Clock;
import java.time.Instant;

import static io.leadscore.server.grpc.RequestValidator.EARLIEST;
import static io.leadscore.server.grpc.RequestValidator.invalid;

/**
 * The one validation of each {@code leadscore.v1.AnalyticsService} request, which turns it into the spend command
 * or the funnel query it asks for.
 */
public final class AnalyticsRequests {

    /** A funnel report over the leads registered in {@code window}; spend in {@code currency}, or when empty
     * the currency recorded most. */
    record FunnelQuery(ReplayWindow window, FunnelGrouping grouping, String currency) {
    }

    private final RequestValidator validator;
    private final Clock clock;

    public AnalyticsRequests(RequestValidator validator, Clock clock) {
        this.validator = validator;
        this.clock = clock;
    }

    RecordSpendCommand recordSpend(RecordSpendRequest request) {
        validator.validateLeadId(request.getSpendId(), "spend_id");
        if (request.getChannel().isBlank() || request.getChannel().length() > 128) {
            throw invalid("channel", "must be 1-128 characters");
        }
        if (request.getCampaign().length() > 128) {
            throw invalid("campaign", "must be at most 128 characters");
        }
        if (!request.hasPeriodStart()) {
            throw invalid("period_start", "is required");
        }
        if (!request.hasPeriodEnd()) {
            throw invalid("period_end", "is required");
        }
        Instant start = RequestValidator.validateTimestamp(request.getPeriodStart(), "period_start");
        Instant end = RequestValidator.validateTimestamp(request.getPeriodEnd(), "period_end");
        if (start.isBefore(EARLIEST)) {
            throw invalid("period_start", "must not lie before " + EARLIEST);
        }
        if (!end.isAfter(start)) {
            throw invalid("period_end", "must be after period_start");
        }
        if (request.getAmount() < 0) {
            throw invalid("amount", "must not be negative");
        }
        RequestValidator.validateCurrency(request.getCurrency(), "currency");
        return new RecordSpendCommand(request.getSpendId(), request.getChannel(), request.getCampaign(), start, end,
                                      request.getAmount(), request.getCurrency());
    }

    FunnelQuery getFunnelReport(GetFunnelReportRequest request) {
        ReplayWindow window = RequestValidator.validateWindow(request.hasFrom() ? request.getFrom() : null,
                                                              request.hasTo() ? request.getTo() : null,
                                                              clock.instant());
        if (request.getGroupBy() == io.leadscore.v1.FunnelGrouping.UNRECOGNIZED) {
            throw invalid("group_by", "is not a known grouping");
        }
        FunnelGrouping grouping = AnalyticsMessages.toGrouping(request.getGroupBy());
        if (!request.getCurrency().isEmpty()) {
            RequestValidator.validateCurrency(request.getCurrency(), "currency");
        }
        return new FunnelQuery(window, grouping, request.getCurrency());
    }
}
