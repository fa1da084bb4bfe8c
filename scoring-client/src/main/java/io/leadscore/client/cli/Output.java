package io.leadscore.client.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.leadscore.v1.LeadScore;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Prints results as a table for people or as proto JSON ({@code --json}) for scripts. */
final class Output {

    private Output() {
    }

    static void json(PrintWriter out, MessageOrBuilder message) {
        try {
            out.println(JsonFormat.printer().omittingInsignificantWhitespace().print(message));
            out.flush();
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Proto JSON with every field, zero values and empty lists too, for output whose shape scripts rely on: a key
     * that is there only when it is not empty is a key a script forgets to default.
     */
    static void jsonWithEveryField(PrintWriter out, MessageOrBuilder message) {
        try {
            out.println(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace()
                                  .print(message));
            out.flush();
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void scores(PrintWriter out, List<LeadScore> scores) {
        Table table = new Table("LEAD", "FIT", "ENGAGEMENT", "TOTAL", "BAND", "STAGE", "MODEL", "VERSION", "AS OF");
        for (LeadScore score : scores) {
            table.row(score.getLeadId(), number(score.getFitScore()), number(score.getEngagementScore()),
                      number(score.getTotalScore()), score.getMatrix().isEmpty() ? "-" : score.getMatrix(),
                      stage(score), score.getModelVersion(), score.getVersion(),
                      score.hasAsOf() ? instant(score.getAsOf()) : "-");
        }
        table.print(out);
    }

    static String stage(LeadScore score) {
        return score.getStage().name().replace("LEAD_STAGE_", "");
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    static String instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
    }
}
