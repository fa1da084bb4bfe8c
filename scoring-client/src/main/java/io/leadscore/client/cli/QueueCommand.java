package io.leadscore.client.cli;

import io.leadscore.v1.LeadOrder;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.ListLeadsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code leadscore queue}: a page of leads, filtered and ordered, for sales to work through. */
@Command(name = "queue", description = "List leads by stage, band, channel or account, best or newest first.")
final class QueueCommand extends LeadscoreSubcommand {

    @Option(names = "--stage", converter = ProtoEnumConverter.Stage.class,
            description = "Only this stage, such as mql (repeatable).")
    List<LeadStage> stages = List.of();
    @Option(names = "--band", defaultValue = "", description = "Only this band, such as A1.")
    String band;
    @Option(names = "--channel", defaultValue = "", description = "Only this channel.")
    String channel;
    @Option(names = "--account", defaultValue = "", description = "Only this account domain.")
    String account;
    @Option(names = "--recent", description = "Newest first instead of best score first.")
    boolean recent;
    @Option(names = "--size", defaultValue = "50", description = "Leads per page (default ${DEFAULT-VALUE}).")
    int size;
    @Option(names = "--page", defaultValue = "", description = "The next-page token printed by the previous page.")
    String page;

    @Override
    public Integer call() {
        return run((client, out) -> {
            ListLeadsRequest.Builder request = ListLeadsRequest.newBuilder().setBand(band).setChannel(channel)
                    .setAccountDomain(account).setPageSize(size).setPageToken(page)
                    .setOrder(recent ? LeadOrder.LEAD_ORDER_RECENCY : LeadOrder.LEAD_ORDER_SCORE);
            request.addAllStages(stages);
            ListLeadsResponse response = client.listLeads(request.build());
            if (cli.json) {
                Output.json(out, response);
                return;
            }
            Output.scores(out, response.getLeadsList());
            out.println(response.getLeadsCount() + " of " + response.getTotalCount() + " leads"
                        + (response.getNextPageToken().isEmpty() ? ""
                                : "; next page: --page " + response.getNextPageToken()));
            out.flush();
        });
    }
}
