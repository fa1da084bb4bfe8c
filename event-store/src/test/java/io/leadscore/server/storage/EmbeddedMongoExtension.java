package io.leadscore.server.storage;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One embedded, H2-backed MongoDB-wire server per test class, on a fresh directory: the real storage code path,
 * never a mock. Register it as a static {@code @RegisterExtension} field.
 */
public final class EmbeddedMongoExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private MongoConnection connection;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("leadscore-test");
        connection = MongoConnection.embedded(dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        connection.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MongoConnection connection() {
        return connection;
    }
}
