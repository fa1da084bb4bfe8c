package io.leadscore.server.model.catalog;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.model.ModelDefinition;
import io.leadscore.server.model.ModelParser;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model catalog folded from its events: every stored version and the order versions were published in. The
 * built-in default model is always there, active until something else is published.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class CatalogState {

    /** A stored version. */
    public record Entry(String versionName, String document, Instant createdAt, Instant lastPublishedAt) {
    }

    private final Map<String, Entry> versions = new LinkedHashMap<>();
    /**
     * The versions made active, in order, as a stack: a publish pushes, a rollback returns to an entry below the
     * top and drops what was published after it, so rolling back again goes further back.
     */
    private final List<String> published = new ArrayList<>();

    public CatalogState() {
        String builtIn = BuiltInModels.defaultDocument();
        String name = ModelParser.parse(builtIn).versionName();
        versions.put(name, new Entry(name, builtIn, null, null));
        published.add(name);
    }

    public void apply(Object event) {
        if (event instanceof ModelVersionCreated created) {
            String name = created.modelId() + "@" + created.version();
            versions.put(name, new Entry(name, created.document(), created.createdAt(), null));
        } else if (event instanceof ModelVersionPublished publishedEvent) {
            String name = publishedEvent.versionName();
            int below = published.lastIndexOf(name);
            if (publishedEvent.rollback() && below >= 0) {
                published.subList(below + 1, published.size()).clear();
            } else {
                published.add(name);
            }
            Entry entry = versions.get(publishedEvent.versionName());
            versions.put(entry.versionName(), new Entry(entry.versionName(), entry.document(), entry.createdAt(),
                                                        publishedEvent.publishedAt()));
        }
    }

    public String active() {
        return published.get(published.size() - 1);
    }

    /** The version active before the current one was published, or null when nothing was active before it. */
    public String previous() {
        return published.size() < 2 ? null : published.get(published.size() - 2);
    }

    /**
     * Whether the version was ever the active model: it has a publish time, or it is the built-in default (never
     * created by a caller, active from the start).
     */
    public boolean wasPublished(String versionName) {
        Entry entry = versions.get(versionName);
        return entry != null && (entry.lastPublishedAt() != null || entry.createdAt() == null);
    }

    public boolean contains(String versionName) {
        return versions.containsKey(versionName);
    }

    public Entry entry(String versionName) {
        return versions.get(versionName);
    }

    public List<Entry> entries() {
        return List.copyOf(versions.values());
    }

    public ModelDefinition definition(String versionName) {
        return ModelParser.parseStored(versions.get(versionName).document());
    }
}
