package io.leadscore.client.cli;

import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RegisterLeadResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code leadscore register}: registers a lead. */
@Command(name = "register", description = "Register a lead (again with the same details changes nothing).")
final class RegisterCommand extends LeadscoreSubcommand {

    @Parameters(index = "0", description = "Lead id.")
    String leadId;
    @Option(names = "--email", defaultValue = "", description = "E-mail address.")
    String email;
    @Option(names = "--name", defaultValue = "", description = "The person's name (personal data).")
    String name;
    @Option(names = "--domain", defaultValue = "", description = "Company web domain.")
    String domain;
    @Option(names = "--account", defaultValue = "", description = "Company name.")
    String account;
    @Option(names = "--channel", defaultValue = "", description = "Acquisition channel.")
    String channel;
    @Option(names = "--campaign", defaultValue = "", description = "Acquisition campaign.")
    String campaign;

    @Override
    public Integer call() {
        return run((client, out) -> {
            RegisterLeadResponse response = client.registerLead(RegisterLeadRequest.newBuilder()
                    .setLeadId(leadId).setEmail(email).setName(name).setAccountDomain(domain).setAccountName(account)
                    .setChannel(channel).setCampaign(campaign).build());
            if (cli.json) {
                Output.json(out, response);
            } else {
                Output.scores(out, List.of(response.getScore()));
                if (response.getAlreadyRegistered()) {
                    out.println("(already registered; nothing changed)");
                }
            }
        });
    }
}
