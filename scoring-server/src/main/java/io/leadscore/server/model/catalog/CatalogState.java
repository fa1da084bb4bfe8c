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
            published.add(publishedEvent.versionName());
            Entry entry = versions.get(publishedEvent.versionName());
            versions.put(entry.versionName(), new Entry(entry.versionName(), entry.document(), entry.createdAt(),
                                                        publishedEvent.publishedAt()));
        }
    }

    public String active() {
        return published.get(published.size() - 1);
    }

    /** The version active before the current one, or null when nothing was published before it. */
    public String previous() {
        return published.size() < 2 ? null : published.get(published.size() - 2);
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
        return ModelParser.parse(versions.get(versionName).document());
    }
}
