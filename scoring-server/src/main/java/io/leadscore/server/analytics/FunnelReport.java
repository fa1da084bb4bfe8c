package io.leadscore.server.analytics;

import io.leadscore.server.lead.api.LeadStage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The funnel of the leads registered in a window.
 *
 * @param from                   the window
 * @param to                     the end of the window
 * @param modelVersion           the active model, whose MQL rule decides MQLs
 * @param total                  all leads of the window together
 * @param groups                 one row per group, largest first
 * @param currency               the currency of the cost figures
 * @param spendInOtherCurrencies spend records in the window in other currencies, left out of the costs
 */
public record FunnelReport(Instant from, Instant to, String modelVersion, Group total, List<Group> groups,
                           String currency, long spendInOtherCurrencies) {

    /**
     * The funnel of one group of leads.
     *
     * @param group           the channel, campaign or month; empty for the whole and for leads that had none
     * @param stages          leads that reached each stage of the path to CUSTOMER, in order; then RECYCLED and
     *                        DISQUALIFIED as entered
     * @param conversions     conversion from each funnel stage to the next, and LEAD to CUSTOMER overall
     * @param velocity        time spent in each stage before leaving it, for the stages some lead left
     * @param spend           spend in the window, in minor units of the report's currency
     * @param costPerLead     spend / leads; 0 without spend or leads (and so on for the other costs)
     * @param diagnosis       what the figures say about the group compared with the whole; empty for the whole
     */
    public record Group(String group, List<StageCount> stages, List<StageConversion> conversions,
                        List<StageVelocity> velocity, long spend, double costPerLead, double costPerMql,
                        double costPerSql, double costPerCustomer, String diagnosis) {

        /** The same figures with their diagnosis, which is read from the figures themselves. */
        Group withDiagnosis(String diagnosis) {
            return new Group(group, stages, conversions, velocity, spend, costPerLead, costPerMql, costPerSql,
                             costPerCustomer, diagnosis);
        }
    }

    /** Leads that reached (or, for RECYCLED and DISQUALIFIED, entered) a stage. */
    public record StageCount(LeadStage stage, long leads) {
    }

    /**
     * How many leads moved from one stage to another.
     *
     * @param entered   leads that reached {@code from}
     * @param converted of them, leads that went on to reach {@code to}
     * @param rate      converted / entered
     */
    public record StageConversion(LeadStage from, LeadStage to, long entered, long converted, double rate) {
    }

    /**
     * How long leads stay in a stage, to the millisecond.
     *
     * @param leads leads that left it
     */
    public record StageVelocity(LeadStage stage, long leads, Duration median, Duration p90) {
    }
}
