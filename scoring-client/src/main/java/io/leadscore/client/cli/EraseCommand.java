package io.leadscore.client.cli;

import io.leadscore.v1.EraseLeadRequest;
import io.leadscore.v1.EraseLeadResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code leadscore erase}: erases a lead's personal data (GDPR Art. 17). */
@Command(name = "erase", description = "Erase a lead's personal data: e-mail, name and free text become unreadable "
                                       + "everywhere; scores and stages stay. Needs the admin role.")
final class EraseCommand extends LeadscoreSubcommand {

    @Parameters(index = "0", description = "Lead id.")
    String leadId;
    @Option(names = "--actor", required = true, description = "Who asked for the erasure (kept on record).")
    String actor;

    @Override
    public Integer call() {
        return run((client, out) -> {
            EraseLeadResponse response = client.eraseLead(EraseLeadRequest.newBuilder().setLeadId(leadId)
                                                                          .setActor(actor).build());
            if (cli.json) {
                Output.json(out, response);
            } else {
                Output.scores(out, List.of(response.getScore()));
                out.println(response.getAlreadyErased() ? "(already erased; nothing changed)"
                                                        : "personal data erased: the lead's key is destroyed");
            }
        });
    }
}
