package io.leadscore.client;

import io.leadscore.v1.WatchLeadsResponse;

import java.util.Iterator;

/**
 * The alerts of one open watch ({@code WatchLeads}), in the order the server stores them. {@link #hasNext()} blocks
 * until the next alert arrives or the watch ends; a watch the server ends with an error (or whose deadline passes)
 * throws {@link io.grpc.StatusRuntimeException} from {@code hasNext()}.
 * <p>
 * Close it to stop watching: {@link #close()} cancels the call on the server at once, from any thread, and a
 * {@code hasNext()} waiting in another thread then returns false. An abandoned watch that is never closed stays open
 * on the server until the channel shuts down. To continue after a disconnect, watch again with the
 * {@code resume_token} of the last alert seen: the server sends every alert missed and none twice.
 */
public interface LeadAlerts extends Iterator<WatchLeadsResponse>, AutoCloseable {

    /** Stops the watch (cancels the call); closing again does nothing. */
    @Override
    void close();
}
