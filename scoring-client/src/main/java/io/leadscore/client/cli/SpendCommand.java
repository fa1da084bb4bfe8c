package io.leadscore.client.cli;

import io.leadscore.client.Timestamps;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.RecordSpendResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;

/** {@code leadscore spend}: record marketing spend on a channel or campaign, for cost per lead, MQL and SQL. */
@Command(name = "spend", description = "Record marketing spend on a channel (or campaign) over a period.")
final class SpendCommand extends LeadscoreSubcommand {

    @Option(names = "--id", required = true, description = "Spend id; recording it again changes nothing.")
    String spendId;
    @Option(names = "--channel", required = true, description = "Channel, such as paid_search.")
    String channel;
    @Option(names = "--campaign", defaultValue = "", description = "Campaign, if the money went to one.")
    String campaign;
    @Option(names = "--from", required = true, converter = TimeConverter.class, description = "Period start.")
    Instant from;
    @Option(names = "--to", required = true, converter = TimeConverter.class, description = "Period end (exclusive).")
    Instant to;
    @Option(names = "--amount", required = true, description = "Amount in minor units (cents).")
    long amount;
    @Option(names = "--currency", required = true, description = "ISO 4217 currency, such as EUR.")
    String currency;

    @Override
    public Integer call() {
        return run((client, out) -> {
            RecordSpendResponse response = client.recordSpend(RecordSpendRequest.newBuilder().setSpendId(spendId)
                    .setChannel(channel).setCampaign(campaign).setPeriodStart(Timestamps.of(from))
                    .setPeriodEnd(Timestamps.of(to)).setAmount(amount).setCurrency(currency).build());
            if (cli.json) {
                Output.json(out, response);
            } else {
                new Table("SPEND", "CHANNEL", "CAMPAIGN", "AMOUNT", "CURRENCY", "RESULT")
                        .row(spendId, channel, campaign.isEmpty() ? "-" : campaign, amount, currency,
                             response.getAlreadyRecorded() ? "already recorded" : "recorded")
                        .print(out);
            }
        });
    }
}
