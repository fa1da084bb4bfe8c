package io.leadscore.server.common;

import org.axonframework.commandhandling.CommandMessage;

/**
 * The store positions commands stored their events at, for their replies: a command's outcome is built before its
 * events are committed and positioned, so the sender asks for the position alongside.
 */
public interface CommandPositions {

    /** {@code command} as a message that asks for its position once committed. */
    CommandMessage<?> asking(Object command);

    /**
     * The highest position {@code sent} (sent as {@link #asking}) stored; for a command that stored nothing (a
     * repeat), the store's head, which covers what it repeats; 0 when it failed. Forgets it.
     */
    long take(CommandMessage<?> sent);
}
