package io.leadscore.client.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.EngagementRejection;
import io.leadscore.v1.StreamEngagementsResponse;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code leadscore import-jsonl}: streams a JSON-lines file of engagements (one {@code leadscore.v1.Engagement} in
 * proto JSON per line) in batches, with a progress bar and a summary. Re-running it is safe: events already stored
 * count as duplicates.
 */
@Command(name = "import-jsonl", description = {"Stream a JSON-lines file of engagements to the server.",
        "Lines the client cannot read or the server refuses are listed with line and reason (all of them with "
        + "--json); the rest is stored, and the exit code is then 3."})
final class ImportJsonlCommand extends LeadscoreSubcommand {

    private static final int SHOWN_REJECTIONS = 20;

    @Parameters(index = "0", converter = InputFiles.ExistingFile.class, description = "The file; each line like "
            + "{\"eventId\":\"e1\",\"leadId\":\"l1\",\"type\":\"page_view\",\"occurredAt\":\"2026-01-05T10:00:00Z\","
            + "\"attributes\":{\"page_category\":\"pricing\"}}")
    Path file;

    @Option(names = "--batch", defaultValue = "1000", description = "Engagements per stream (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
        return runForExitCode((client, out) -> {
            Summary summary = importFile(client);
            if (cli.json) {
                printJson(out, summary);
            } else {
                printTable(out, summary);
            }
            // A script must not mistake an import with refused lines for a complete one.
            return summary.rejected() > 0 ? ExitCodes.PARTLY_REJECTED : ExitCodes.OK;
        });
    }

    /** A rejected line: its number in the file, the status code name and why. */
    record Rejection(long line, String code, String field, String reason) {
    }

    record Summary(long lines, long accepted, long duplicates, long rejected, List<Rejection> rejections) {
    }

    private Summary importFile(LeadscoreClient client) throws IOException {
        long totalLines;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            totalLines = lines.count();
        }
        long accepted = 0;
        long duplicates = 0;
        long rejected = 0;
        List<Rejection> rejections = new ArrayList<>();
        JsonFormat.Parser parser = JsonFormat.parser();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             ProgressBar progress = new ProgressBarBuilder().setTaskName("import").setInitialMax(totalLines)
                     .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(
                             System.err)).continuousUpdate().build()) {
            long lineNumber = 0;
            List<Engagement> batch = new ArrayList<>(batchSize);
            List<Long> batchLines = new ArrayList<>(batchSize);
            String line;
            while (true) {
                line = reader.readLine();
                if (line != null) {
                    lineNumber++;
                    if (line.isBlank()) {
                        progress.step();
                        continue;
                    }
                    try {
                        Engagement.Builder engagement = Engagement.newBuilder();
                        parser.merge(line, engagement);
                        batch.add(engagement.build());
                        batchLines.add(lineNumber);
                    } catch (InvalidProtocolBufferException e) {
                        rejected++;
                        rejections.add(new Rejection(lineNumber, "INVALID_ARGUMENT", "", "not a JSON engagement: "
                                                                                         + firstLine(e.getMessage())));
                        progress.step();
                    }
                }
                if (batch.size() >= batchSize || (line == null && !batch.isEmpty())) {
                    StreamEngagementsResponse response = client.streamEngagements(batch.iterator());
                    accepted += response.getAccepted();
                    duplicates += response.getDuplicates();
                    rejected += response.getRejected();
                    for (EngagementRejection rejection : response.getRejectionsList()) {
                        rejections.add(new Rejection(batchLines.get((int) rejection.getIndex()), rejection.getCode(),
                                                     rejection.getField(), rejection.getReason()));
                    }
                    progress.stepBy(batch.size());
                    batch.clear();
                    batchLines.clear();
                }
                if (line == null) {
                    break;
                }
            }
            return new Summary(lineNumber, accepted, duplicates, rejected, rejections);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static void printTable(PrintWriter out, Summary summary) {
        new Table("LINES", "ACCEPTED", "DUPLICATES", "REJECTED")
                .row(summary.lines(), summary.accepted(), summary.duplicates(), summary.rejected())
                .print(out);
        if (!summary.rejections().isEmpty()) {
            out.println();
            Table table = new Table("LINE", "CODE", "FIELD", "REASON");
            summary.rejections().stream().limit(SHOWN_REJECTIONS)
                   .forEach(r -> table.row(r.line(), r.code(), r.field().isEmpty() ? "-" : r.field(), r.reason()));
            table.print(out);
            if (summary.rejections().size() > SHOWN_REJECTIONS) {
                out.println("... " + (summary.rejections().size() - SHOWN_REJECTIONS) + " more (use --json)");
            }
        }
        out.flush();
    }

    private static void printJson(PrintWriter out, Summary summary) {
        StringBuilder json = new StringBuilder();
        json.append("{\"lines\":").append(summary.lines())
            .append(",\"accepted\":").append(summary.accepted())
            .append(",\"duplicates\":").append(summary.duplicates())
            .append(",\"rejected\":").append(summary.rejected())
            .append(",\"rejections\":[");
        for (int i = 0; i < summary.rejections().size(); i++) {
            Rejection r = summary.rejections().get(i);
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"line\":").append(r.line())
                .append(",\"code\":").append(quote(r.code()))
                .append(",\"field\":").append(quote(r.field()))
                .append(",\"reason\":").append(quote(r.reason())).append('}');
        }
        json.append("]}");
        out.println(json);
        out.flush();
    }

    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
