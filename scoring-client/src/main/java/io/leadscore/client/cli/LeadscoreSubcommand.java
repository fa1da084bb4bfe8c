package io.leadscore.client.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** What every {@code leadscore} subcommand shares: the global options and its own command spec. */
abstract class LeadscoreSubcommand implements Callable<Integer> {

    @ParentCommand
    LeadscoreCli cli;
    @Spec
    CommandSpec spec;

    /** Runs {@code action} on a client; see {@link LeadscoreCli#run}. */
    int run(LeadscoreCli.ClientAction action) {
        return cli.run(spec, action);
    }

    /** Runs {@code action}, whose answer is the exit code; see {@link LeadscoreCli#runForExitCode}. */
    int runForExitCode(LeadscoreCli.ExitCodeAction action) {
        return cli.runForExitCode(spec, action);
    }
}
