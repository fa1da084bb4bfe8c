package io.leadscore.client.cli;

import com.google.protobuf.Timestamp;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.WatchLeadsResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code watch > file}: each alert reaches the stream as one whole line, flushed, when it arrives. */
class AlertPrinterTest {

    /** A stream that remembers what had reached it at each flush. */
    private static final class RecordingStream extends ByteArrayOutputStream {
        final List<String> atFlush = new ArrayList<>();

        @Override
        public void flush() {
            atFlush.add(toString(StandardCharsets.UTF_8));
        }
    }

    private static WatchLeadsResponse alert(String leadId, String token) {
        return WatchLeadsResponse.newBuilder().setLeadId(leadId).setStage(LeadStage.LEAD_STAGE_MQL)
                .setCause("score").setTotalScore(65).setChannel("paid_search").setResumeToken(token)
                .setAt(Timestamp.newBuilder().setSeconds(1_790_000_000L)).build();
    }

    @Test
    void everyAlertIsFlushedAsOneLineWhenItArrives() {
        RecordingStream stream = new RecordingStream();
        // Buffered like picocli's own stdout writer, without auto-flush: only the printer's flushes count.
        AlertPrinter printer = new AlertPrinter(new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8),
                                                                false), false);

        printer.print(alert("lead-1", "t1"));
        List<String> afterFirst = List.copyOf(stream.atFlush);
        printer.print(alert("lead-2", "t2"));

        assertThat(afterFirst).isNotEmpty();
        assertThat(afterFirst.get(afterFirst.size() - 1).lines()).singleElement().asString()
                .startsWith("2026-09-21T14:13:20Z  lead-1").endsWith("resume=t1");
        assertThat(stream.atFlush.get(stream.atFlush.size() - 1).lines()).hasSize(2);
    }

    @Test
    void jsonAlertsAreOneObjectPerLineFlushedTheSameWay() {
        RecordingStream stream = new RecordingStream();
        AlertPrinter printer = new AlertPrinter(new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8),
                                                                false), true);

        printer.print(alert("lead-1", "t1"));

        assertThat(stream.atFlush).isNotEmpty();
        assertThat(stream.atFlush.get(stream.atFlush.size() - 1).lines()).singleElement().asString()
                .startsWith("{\"leadId\":\"lead-1\"").contains("\"resumeToken\":\"t1\"");
    }
}
