package io.leadscore.server.analytics;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Marketing money spent on a channel (and maybe a campaign) over a period.
 *
 * @param periodEnd exclusive
 * @param amount    in minor units of {@code currency}
 */
@Revision("1")
public record SpendRecorded(String spendId,
                            String channel,
                            String campaign,
                            Instant periodStart,
                            Instant periodEnd,
                            long amount,
                            String currency) {
}
