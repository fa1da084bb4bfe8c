package io.leadscore.server.replay;

import java.time.Instant;

/**
 * The leads a replay looks at: those registered in {@code [from, to)}. Facts at or after {@code to} are not scored;
 * outcomes count whenever they happened, because they are what really became of the leads.
 */
public record ReplayWindow(Instant from, Instant to) {

    public ReplayWindow {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the window must end after it starts");
        }
    }

    public boolean contains(Instant time) {
        return !time.isBefore(from) && time.isBefore(to);
    }
}
