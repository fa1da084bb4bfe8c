package io.leadscore.server.analytics;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Records spend; the same spend id with the same details again changes nothing. */
public record RecordSpendCommand(@TargetAggregateIdentifier String spendId,
                                 String channel,
                                 String campaign,
                                 Instant periodStart,
                                 Instant periodEnd,
                                 long amount,
                                 String currency) {

    SpendRecorded toEvent() {
        return new SpendRecorded(spendId, channel, campaign, periodStart, periodEnd, amount, currency);
    }
}
