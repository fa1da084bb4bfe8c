package io.leadscore.client.cli;

import io.leadscore.client.Timestamps;
import io.leadscore.v1.FunnelGroup;
import io.leadscore.v1.FunnelGrouping;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.GetFunnelReportResponse;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.StageConversion;
import io.leadscore.v1.StageVelocity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code leadscore funnel}: stage counts, conversion, velocity and cost per stage, as a table. */
@Command(name = "funnel", description = "The funnel of the leads registered in a window, by channel, campaign or "
                                        + "month.")
final class FunnelCommand extends LeadscoreSubcommand {

    /** How to group. */
    enum By { channel, campaign, month }

    /** The report reads the history of the whole window: it takes far longer than the usual call. */
    static final Duration USUAL_TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--from", converter = TimeConverter.class, description = "Leads registered from (date or instant).")
    Instant from;
    @Option(names = "--to", converter = TimeConverter.class, description = "... and before (default: now).")
    Instant to;
    @Option(names = "--by", defaultValue = "channel", description = "channel, campaign or month (default "
                                                                   + "${DEFAULT-VALUE}).")
    By by;
    @Option(names = "--currency", defaultValue = "", description = "Currency of the costs (default: the one spent "
                                                                  + "most).")
    String currency;
    @Option(names = "--timeout", converter = LeadscoreCli.DurationConverter.class,
            description = "Give up after, such as 30m (default: --deadline if given, else 10m).")
    Duration timeout;

    @Override
    public Integer call() {
        return run((client, out) -> {
            GetFunnelReportRequest.Builder request = GetFunnelReportRequest.newBuilder()
                    .setGroupBy(FunnelGrouping.valueOf("FUNNEL_GROUPING_" + by.name().toUpperCase(Locale.ROOT)))
                    .setCurrency(currency);
            if (from != null) {
                request.setFrom(Timestamps.of(from));
            }
            if (to != null) {
                request.setTo(Timestamps.of(to));
            }
            GetFunnelReportResponse report = client.withDeadline(cli.longCallDeadline(timeout, USUAL_TIMEOUT))
                                                   .getFunnelReport(request.build());
            if (cli.json) {
                Output.json(out, report);
            } else {
                print(out, report);
            }
        });
    }

    private void print(PrintWriter out, GetFunnelReportResponse report) {
        out.printf(Locale.ROOT, "Funnel of leads registered %s .. %s (MQL by %s)%n%n",
                   Output.instant(report.getFrom()), Output.instant(report.getTo()), report.getModelVersion());
        String money = report.getCurrency().isEmpty() ? "" : " " + report.getCurrency();
        Table table = new Table(by.name().toUpperCase(Locale.ROOT), "LEADS", "MQL", "SQL", "OPP", "WON", "WON %",
                                "LEAD>MQL", "MQL>SQL", "SPEND" + money, "CPL", "CPMQL", "CPSQL", "DIAGNOSIS");
        List<FunnelGroup> rows = new ArrayList<>(report.getGroupsList());
        rows.add(report.getTotal());
        for (FunnelGroup group : rows) {
            boolean total = group == report.getTotal();
            table.row(total ? "TOTAL" : group.getGroup().isEmpty() ? "(none)" : group.getGroup(),
                      reached(group, LeadStage.LEAD_STAGE_LEAD), reached(group, LeadStage.LEAD_STAGE_MQL),
                      reached(group, LeadStage.LEAD_STAGE_SQL), reached(group, LeadStage.LEAD_STAGE_OPPORTUNITY),
                      reached(group, LeadStage.LEAD_STAGE_CUSTOMER),
                      BacktestCommand.percent(rate(group, LeadStage.LEAD_STAGE_LEAD, LeadStage.LEAD_STAGE_CUSTOMER)),
                      BacktestCommand.percent(rate(group, LeadStage.LEAD_STAGE_LEAD, LeadStage.LEAD_STAGE_MQL)),
                      BacktestCommand.percent(rate(group, LeadStage.LEAD_STAGE_MQL, LeadStage.LEAD_STAGE_SQL)),
                      money(group.getSpend()), money(group.getCostPerLead()), money(group.getCostPerMql()),
                      money(group.getCostPerSql()), total ? "" : group.getDiagnosis());
        }
        table.print(out);
        out.println("(reached = entered the stage or a later one; money in major units of the currency)");
        out.println();
        out.println("Time in stage, all leads:");
        Table velocity = new Table("STAGE", "LEFT IT", "MEDIAN", "P90");
        for (StageVelocity stage : report.getTotal().getVelocityList()) {
            velocity.row(stage.getStage().name().replace("LEAD_STAGE_", ""), stage.getLeads(),
                         BacktestCommand.duration(stage.getMedian()), BacktestCommand.duration(stage.getP90()));
        }
        velocity.print(out);
        if (report.getSpendInOtherCurrencies() > 0) {
            out.println(report.getSpendInOtherCurrencies() + " spend record(s) in other currencies left out "
                        + "(use --currency)");
        }
        out.flush();
    }

    private static long reached(FunnelGroup group, LeadStage stage) {
        return group.getStagesList().stream().filter(s -> s.getStage() == stage).mapToLong(s -> s.getLeads())
                    .findFirst().orElse(0);
    }

    private static double rate(FunnelGroup group, LeadStage from, LeadStage to) {
        return group.getConversionsList().stream().filter(c -> c.getFrom() == from && c.getTo() == to)
                    .mapToDouble(StageConversion::getRate).findFirst().orElse(0);
    }

    private static String money(double minorUnits) {
        return minorUnits == 0 ? "-" : String.format(Locale.ROOT, "%.2f", minorUnits / 100);
    }
}
