package io.leadscore.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.client.imports.CsvMapping;
import io.leadscore.client.imports.CsvSource;
import io.leadscore.client.imports.ImportSource;
import io.leadscore.client.imports.ImportSummary;
import io.leadscore.client.imports.LeadImporter;
import io.leadscore.client.imports.OlistSource;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code leadscore import}: bring real history in, with its original times. Safe to repeat. */
@Command(name = "import",
        description = {"Import lead history: the Olist marketing funnel, or any CSV of leads through a mapping.",
                       "Rows that cannot be imported are listed with file, line and reason (all of them with "
                       + "--json); the rest imports, and the exit code is then 3."},
        subcommands = {ImportCommand.Olist.class, ImportCommand.Csv.class})
final class ImportCommand {

    private static final int SHOWN_REJECTIONS = 20;

    @ParentCommand
    LeadscoreCli cli;

    /** What both import subcommands share: reading a source, sending it, printing the summary. */
    abstract static class ImportSubcommand implements Callable<Integer> {
        @ParentCommand
        ImportCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--concurrency", defaultValue = "16",
                description = "Leads sent at a time (default ${DEFAULT-VALUE}).")
        int concurrency;

        abstract ImportSource read() throws IOException;

        @Override
        public Integer call() {
            return parent.cli.runForExitCode(spec, (client, out) -> {
                ImportSource source = read();
                ImportSummary summary = send(client, source);
                if (parent.cli.json) {
                    out.println(new ObjectMapper().writeValueAsString(summary));
                    out.flush();
                } else {
                    print(out, source, summary);
                }
                // A script must not mistake an import with refused rows for a complete one.
                return summary.rejected() > 0 ? ExitCodes.PARTLY_REJECTED : ExitCodes.OK;
            });
        }

        private ImportSummary send(LeadscoreClient client, ImportSource source) {
            try (ProgressBar progress = new ProgressBarBuilder().setTaskName("import " + source.file())
                    .setInitialMax(source.records().size()).setStyle(ProgressBarStyle.ASCII).setUnit(" leads", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build()) {
                return new LeadImporter(client, concurrency).run(source, progress::step);
            }
        }

        private static void print(PrintWriter out, ImportSource source, ImportSummary summary) {
            new Table("FILE", "ROWS", "LEADS", "CHANGED", "UNCHANGED", "EVENTS WRITTEN", "REJECTED")
                    .row(source.file(), summary.rows(), summary.leads(), summary.changed(), summary.unchanged(),
                         summary.writes(), summary.rejected())
                    .print(out);
            if (!summary.rejections().isEmpty()) {
                out.println();
                Table table = new Table("FILE", "LINE", "CODE", "FIELD", "REASON");
                summary.rejections().stream().limit(SHOWN_REJECTIONS).forEach(r -> table.row(
                        r.file(), r.line(), r.code(), r.field().isEmpty() ? "-" : r.field(), r.reason()));
                table.print(out);
                if (summary.rejections().size() > SHOWN_REJECTIONS) {
                    out.println("... " + (summary.rejections().size() - SHOWN_REJECTIONS) + " more (use --json)");
                }
            }
            out.flush();
        }
    }

    @Command(name = "olist", description = "Import the Olist marketing funnel (its two CSV files) from a directory.")
    static final class Olist extends ImportSubcommand {
        @Parameters(index = "0", converter = InputFiles.ExistingDirectory.class,
                description = "The directory with " + OlistSource.LEADS_FILE + " and " + OlistSource.DEALS_FILE + ".")
        Path directory;

        @Override
        ImportSource read() throws IOException {
            return OlistSource.read(directory);
        }
    }

    @Command(name = "csv", description = "Import a CSV with one lead per row; a mapping file says which column is "
                                         + "what (see ops/examples/crm-mapping.yaml).")
    static final class Csv extends ImportSubcommand {
        @Option(names = "--mapping", required = true, converter = InputFiles.ExistingFile.class,
                description = "The mapping file (YAML).")
        Path mapping;
        @Parameters(index = "0", converter = InputFiles.ExistingFile.class,
                description = "The CSV file, with a header row. A row that cannot be read (more or fewer values than "
                              + "the header, broken quoting) is rejected with its line; the rest imports.")
        Path file;

        @Override
        ImportSource read() throws IOException {
            return new CsvSource(CsvMapping.read(mapping)).read(file);
        }
    }
}
