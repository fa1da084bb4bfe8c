package io.leadscore.client.cli;

import io.leadscore.v1.WatchLeadsResponse;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints watch alerts one line each and flushes after every line, so that {@code leadscore watch > file} and pipes
 * see each alert when it arrives, not when a buffer fills or the watch ends. Alerts are rare, so a flush per line
 * costs nothing, terminal or not.
 */
final class AlertPrinter {

    private final PrintWriter out;
    private final boolean json;

    AlertPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    void print(WatchLeadsResponse alert) {
        if (json) {
            Output.json(out, alert);
        } else {
            out.printf(Locale.ROOT, "%s  %-12s %-16s %-10s %8s  %s  resume=%s%n",
                       Output.instant(alert.getAt()), alert.getLeadId(),
                       alert.getStage().name().replace("LEAD_STAGE_", ""), alert.getCause(),
                       Output.number(alert.getTotalScore()), alert.getChannel(), alert.getResumeToken());
        }
        out.flush();
    }
}
