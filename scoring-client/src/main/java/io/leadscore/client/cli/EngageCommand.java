package io.leadscore.client.cli;

import com.google.protobuf.Timestamp;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.EngagementOutcome;
import io.leadscore.v1.RecordEngagementResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code leadscore engage}: records one engagement. */
@Command(name = "engage", description = "Record one engagement of a lead.")
final class EngageCommand extends LeadscoreSubcommand {

    @Parameters(index = "0", description = "Lead id.")
    String leadId;
    @Parameters(index = "1", description = "Engagement type, such as page_view or demo_requested.")
    String type;
    @Option(names = "--event-id", description = "Event id; repeat it to make a retry a no-op (default: random).")
    String eventId;
    @Option(names = "--at", description = "When it happened, ISO-8601 (default: now).")
    Instant at;
    @Option(names = "--session", defaultValue = "", description = "Web session id.")
    String session;
    @Option(names = "--channel", defaultValue = "", description = "Channel.")
    String channel;
    @Option(names = {"-a", "--attribute"}, description = "A detail key=value, such as page_category=pricing.")
    Map<String, String> attributes = Map.of();

    @Override
    public Integer call() {
        return run((client, out) -> {
            Instant occurredAt = at == null ? Instant.now() : at;
            Engagement engagement = Engagement.newBuilder()
                    .setEventId(eventId == null ? UUID.randomUUID().toString() : eventId)
                    .setLeadId(leadId).setType(type)
                    .setOccurredAt(Timestamp.newBuilder().setSeconds(occurredAt.getEpochSecond())
                                            .setNanos(occurredAt.getNano()))
                    .setSessionId(session).setChannel(channel).putAllAttributes(attributes).build();
            RecordEngagementResponse response = client.recordEngagement(engagement);
            if (cli.json) {
                Output.json(out, response);
            } else {
                Output.scores(out, List.of(response.getScore()));
                if (response.getOutcome() == EngagementOutcome.ENGAGEMENT_OUTCOME_DUPLICATE) {
                    out.println("(duplicate event id " + engagement.getEventId() + "; nothing changed)");
                }
            }
        });
    }
}
