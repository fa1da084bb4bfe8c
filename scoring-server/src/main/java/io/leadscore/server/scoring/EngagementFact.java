package io.leadscore.server.scoring;

import java.time.Instant;
import java.util.Map;

/**
 * One engagement as the scoring function sees it.
 *
 * @param eventId    caller-chosen id, unique per lead
 * @param type       engagement type, one of {@link EngagementTypes#KNOWN}
 * @param occurredAt when it happened
 * @param sessionId  web session, or empty
 * @param channel    channel, or empty
 * @param attributes details such as {@code page_category=pricing}
 */
public record EngagementFact(String eventId,
                             String type,
                             Instant occurredAt,
                             String sessionId,
                             String channel,
                             Map<String, String> attributes) {

    public EngagementFact {
        type = SharedStrings.of(type);
        channel = SharedStrings.of(channel);
        attributes = SharedStrings.of(attributes);
    }

    /** The same engagement holding an equal session id (an instance shared with the session's other engagements). */
    public EngagementFact withSessionId(String equalSessionId) {
        if (!equalSessionId.equals(sessionId)) {
            throw new IllegalArgumentException("not the same session: " + equalSessionId);
        }
        return new EngagementFact(eventId, type, occurredAt, equalSessionId, channel, attributes);
    }

    /** The attribute's value, or empty when absent. */
    public String attribute(String name) {
        return attributes.getOrDefault(name, "");
    }
}
