package io.leadscore.server.analytics;

import io.leadscore.v1.FunnelGroup;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.StageConversion;

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

    static String diagnose(FunnelGroup group, FunnelGroup whole) {
        long leads = reached(group, LeadStage.LEAD_STAGE_LEAD);
        long mqls = reached(group, LeadStage.LEAD_STAGE_MQL);
        if (leads == 0) {
            return group.getSpend() > 0 ? "spend without leads: check tracking or cut the channel" : "no leads";
        }
        if (mqls == 0) {
            return group.getSpend() > 0 ? "spend without MQLs: leads do not qualify; fix targeting or cut spend"
                                        : "no MQLs yet";
        }
        if (mqls < MIN_MQLS) {
            return "too few MQLs to judge (" + mqls + ")";
        }
        double quality = relative(mqlToSql(group), mqlToSql(whole));
        if (group.getSpend() == 0 || whole.getCostPerMql() == 0) {
            if (quality < LOW) {
                return "MQLs convert poorly: criteria too loose for this channel (no spend recorded)";
            }
            if (quality > HIGH) {
                return "MQLs convert well: criteria may be too strict here (no spend recorded)";
            }
            return "conversion in line with the whole (no spend recorded)";
        }
        double price = group.getCostPerMql() / whole.getCostPerMql();
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

    private static long reached(FunnelGroup group, LeadStage stage) {
        return group.getStagesList().stream().filter(s -> s.getStage() == stage).mapToLong(s -> s.getLeads())
                    .findFirst().orElse(0);
    }

    private static double mqlToSql(FunnelGroup group) {
        return group.getConversionsList().stream()
                    .filter(c -> c.getFrom() == LeadStage.LEAD_STAGE_MQL && c.getTo() == LeadStage.LEAD_STAGE_SQL)
                    .mapToDouble(StageConversion::getRate).findFirst().orElse(0);
    }
}
