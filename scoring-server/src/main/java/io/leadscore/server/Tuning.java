package io.leadscore.server;

import java.time.Duration;

/**
 * The server's fixed tuning, in one place: sizes and intervals chosen by measurement (see ops/bench) rather than
 * configured. Only the composition root reads them and hands them to what they tune.
 */
final class Tuning {

    /** A lead aggregate is snapshotted every this many events. */
    static final int SNAPSHOT_EVERY = 100;
    /** Lead keys kept in memory: few per lead and looked up only to show a value, a miss costs one read by id. */
    static final int CACHED_KEYS = 100_000;
    /** Commands handled at once: each may wait on the store's group commit. */
    static final int COMMAND_THREADS = 64;
    /** Backtests and funnel reports running at once; more wait in line. */
    static final int ANALYTICS_THREADS = 2;
    /** Unary calls slower than this are logged, with their request id. */
    static final Duration SLOW_CALL = Duration.ofSeconds(1);
    /** The retry delay a refused call is told when the server is at its in-flight limit. */
    static final Duration RETRY_AFTER_WHEN_BUSY = Duration.ofMillis(100);
    /** The largest legitimate message is a model document (256 Ki characters); bigger ones are refused unparsed. */
    static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
    /**
     * Calls (streams included) one client connection may have open at once: streams are cheap for a client to
     * open and each holds server memory.
     */
    static final int MAX_CALLS_PER_CONNECTION = 1000;
    /** Headers of one call: a bearer token and a request id need far less. */
    static final int MAX_METADATA_BYTES = 16 * 1024;
    /** How often the score-band gauges are recomputed. */
    static final Duration SCORE_BANDS_EVERY = Duration.ofSeconds(10);
    /** How often the projection's lag is measured. */
    static final Duration PROJECTION_LAG_EVERY = Duration.ofSeconds(5);
    /** How often start-up checks whether the projection has caught up. */
    static final Duration CATCH_UP_CHECK_EVERY = Duration.ofMillis(100);

    private Tuning() {
    }
}
