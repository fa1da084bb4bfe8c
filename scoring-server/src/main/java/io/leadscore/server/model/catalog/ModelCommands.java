package io.leadscore.server.model.catalog;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Commands of the model catalog. */
public final class ModelCommands {

    private ModelCommands() {
    }

    /** Stores a validated draft. */
    public record CreateModelVersion(@TargetAggregateIdentifier String catalogId, String document,
                                     Instant createdAt) {
    }

    /** Makes a stored version the active one. */
    public record PublishModelVersion(@TargetAggregateIdentifier String catalogId, String versionName,
                                      Instant publishedAt) {
    }

    /**
     * Goes back to an earlier published version: {@code versionName}, or when null the one active before the
     * current one was published.
     */
    public record RollbackModel(@TargetAggregateIdentifier String catalogId, String versionName, Instant publishedAt) {
    }
}
