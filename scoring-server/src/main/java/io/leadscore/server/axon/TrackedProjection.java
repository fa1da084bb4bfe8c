package io.leadscore.server.axon;

/**
 * A projection the application runs on a tracking processor of its own, and that can rebuild itself faster than
 * the processor would: a projection that never ran on the stored history, or whose rows an earlier version built,
 * is rebuilt in one pass before its processor starts, at the head that pass read up to.
 */
public interface TrackedProjection {

    /** The processing group of {@link #eventHandler()}; its processor and tokens are named after it. */
    String processingGroup();

    /** The annotated event handler. */
    Object eventHandler();

    /** Whether the stored rows were built by this version (false after an upgrade that changed how they are). */
    boolean rowsCurrent();

    /** Recomputes every row from everything stored when called; the rows are current afterwards. */
    void rebuild();

    /** Records that the rows are current without rebuilding them: there is nothing stored to build them from. */
    void rowsAreCurrent();
}
