package io.leadscore.server.analytics;

import io.leadscore.server.analytics.FunnelReport.Group;
import io.leadscore.server.analytics.FunnelReport.StageConversion;
import io.leadscore.server.analytics.FunnelReport.StageCount;
import io.leadscore.server.lead.api.LeadStage;

/**
 * Reads a group's cost per MQL and MQL-to-SQL rate against the whole funnel's, as the lead-scoring seeds teach:
 * cheap MQLs that sales rejects mean the criteria are too loose for the channel; expensive MQLs that sales
 * accepts mean they are too strict (or the channel deserves more money); and so on. "Low" and "high" mean a
 * fifth below or a quarter above the whole.
 */
final class ChannelDiagnosis {

    private static final double LOW = 0.8;
    private static final double HIGH = 1.25;
    /** Below this many MQLs a rate says little. */
    private static final long MIN_MQLS = 10;

    private ChannelDiagnosis() {
    }

    static String diagnose(Group group, Group whole) {
        long leads = reached(group, LeadStage.LEAD);
        long mqls = reached(group, LeadStage.MQL);
        if (leads == 0) {
            return group.spend() > 0 ? "spend without leads: check tracking or cut the channel" : "no leads";
        }
        if (mqls == 0) {
            return group.spend() > 0 ? "spend without MQLs: leads do not qualify; fix targeting or cut spend"
                                        : "no MQLs yet";
        }
        if (mqls < MIN_MQLS) {
            return "too few MQLs to judge (" + mqls + ")";
        }
        double quality = relative(mqlToSql(group), mqlToSql(whole));
        if (group.spend() == 0 || whole.costPerMql() == 0) {
            if (quality < LOW) {
                return "MQLs convert poorly: criteria too loose for this channel (no spend recorded)";
            }
            if (quality > HIGH) {
                return "MQLs convert well: criteria may be too strict here (no spend recorded)";
            }
            return "conversion in line with the whole (no spend recorded)";
        }
        double price = group.costPerMql() / whole.costPerMql();
        if (price < LOW && quality < LOW) {
            return "low CPMQL, low MQL-to-SQL: criteria too loose; raise the bar for this channel";
        }
        if (price > HIGH && quality > HIGH) {
            return "high CPMQL, high MQL-to-SQL: criteria too strict or channel under-funded; loosen or scale";
        }
        if (price < LOW && quality >= LOW) {
            return "low CPMQL, sound MQL-to-SQL: efficient; scale spend";
        }
        if (price > HIGH && quality < LOW) {
            return "high CPMQL, low MQL-to-SQL: expensive and weak; cut spend or rework the channel";
        }
        if (quality < LOW) {
            return "MQL-to-SQL below the whole: tighten criteria for this channel";
        }
        if (quality > HIGH) {
            return "MQL-to-SQL above the whole at a fair price: room to scale";
        }
        return "in line with the whole";
    }

    private static double relative(double value, double reference) {
        return reference == 0 ? 1 : value / reference;
    }

    private static long reached(Group group, LeadStage stage) {
        return group.stages().stream().filter(s -> s.stage() == stage).mapToLong(StageCount::leads)
                    .findFirst().orElse(0);
    }

    private static double mqlToSql(Group group) {
        return group.conversions().stream()
                    .filter(c -> c.from() == LeadStage.MQL && c.to() == LeadStage.SQL)
                    .mapToDouble(StageConversion::rate).findFirst().orElse(0);
    }
}
