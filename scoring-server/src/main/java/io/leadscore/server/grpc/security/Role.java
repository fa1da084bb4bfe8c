package io.leadscore.server.grpc.security;

import java.util.Locale;

/**
 * What a caller may do. Each RPC needs exactly one role ({@link RpcRoles}); a caller holds any number of them.
 * Roles do not imply one another, so a reporting tool given {@code reader} can never change a score, and an admin
 * account that should also read scores is given both.
 */
public enum Role {
    /** Scores, explanations, stage histories, queues, live alerts, account scores and funnel reports. */
    READER,
    /** Registration, profiles and engagements: what tracking and marketing automation send. */
    INGEST,
    /** Sales decisions: accept, reject, disqualify, opportunities, won and lost, reopen, imported outcomes, manual adjustments. */
    SALES,
    /** Scoring models, backtests, marketing spend and erasure. */
    ADMIN;

    /** The role named {@code name} in a callers file ({@code reader}, {@code ingest}, {@code sales}, {@code admin}). */
    public static Role named(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + name + "': one of reader, ingest, sales, admin");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
