package io.leadscore.server.model.catalog;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A draft model version was stored; its document never changes afterwards. */
@Revision("1")
public record ModelVersionCreated(String catalogId, String modelId, int version, String document, Instant createdAt) {
}
