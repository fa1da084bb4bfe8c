package io.leadscore.server.eventstore;

/**
 * Makes writes that returned before the call survive a crash of this process.
 *
 * <p>A real MongoDB needs nothing here: appends use a journaled majority write concern, so the driver only returns
 * once the write is durable. The embedded H2-backed server keeps writes in memory until its store commits, so it
 * installs a {@link GroupCommitter}.
 */
@FunctionalInterface
public interface DurabilityBarrier {

    /** Returns once every write acknowledged to this process before the call is on stable storage. */
    void awaitDurable();

    /** The barrier for stores whose acknowledged writes are already durable. */
    DurabilityBarrier NONE = () -> {
    };
}
