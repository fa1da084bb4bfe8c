package io.leadscore.client.cli;

import io.leadscore.v1.GetAccountScoreResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code leadscore account}: an account's rolled-up score and its contacts. */
@Command(name = "account", description = "Show an account's score: contacts rolled up, fit from firmographics.")
final class AccountCommand extends LeadscoreSubcommand {

    @Parameters(index = "0", description = "The account's domain, such as acme.com.")
    String accountDomain;

    @Override
    public Integer call() {
        return run((client, out) -> {
            GetAccountScoreResponse account = client.getAccountScore(accountDomain);
            if (cli.json) {
                Output.json(out, account);
                return;
            }
            new Table("ACCOUNT", "CONTACTS", "FIT", "ENGAGEMENT", "TOTAL", "ROLLUP")
                    .row(account.getAccountDomain(), account.getContacts(), Output.number(account.getFitScore()),
                         Output.number(account.getEngagementScore()), Output.number(account.getTotalScore()),
                         account.getRollup())
                    .print(out);
            out.println();
            Output.scores(out, account.getTopContactsList());
        });
    }
}
