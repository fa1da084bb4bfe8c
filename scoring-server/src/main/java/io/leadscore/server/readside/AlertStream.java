package io.leadscore.server.readside;

/**
 * Where a watch sends its alerts: the watcher's open call. A watch sends only while the watcher keeps up, so the
 * stream says when it can take the next alert and when the watcher has gone.
 */
public interface AlertStream {

    /** Whether the watcher went away; the watch ends then. */
    boolean isCancelled();

    /** Whether the stream takes an alert now without buffering it. */
    boolean isReady();

    void send(LeadAlert alert);

    /** The watch stopped on {@code cause}; the watcher can resume after the last alert it received. */
    void stopped(RuntimeException cause);
}
