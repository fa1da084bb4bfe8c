package io.leadscore.server.model.catalog;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A model version became the active one; every lead is rescored with it.
 *
 * @param versionName  the new active model, {@code id@version}
 * @param previous     the model it replaced
 * @param rollback     whether this publish went back to the previous model
 */
@Revision("1")
public record ModelVersionPublished(String catalogId, String versionName, String previous, boolean rollback,
                                    Instant publishedAt) {
}
