package io.leadscore.server.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The models shipped in {@code ops/models/}, packaged into the server jar. */
public final class BuiltInModels {

    private BuiltInModels() {
    }

    /** The document of {@code ops/models/default.yaml}. */
    public static String defaultDocument() {
        try (InputStream in = BuiltInModels.class.getResourceAsStream("/models/default.yaml")) {
            if (in == null) {
                throw new IllegalStateException("models/default.yaml is missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default model, parsed and validated. */
    public static RuleBasedModel defaultModel() {
        return new RuleBasedModel(ModelParser.parse(defaultDocument()));
    }
}
