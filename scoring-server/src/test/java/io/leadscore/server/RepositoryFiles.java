package io.leadscore.server;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository and of the shared data beside it, from wherever the tests run. */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /** {@code relative} in the nearest directory above the working directory that has it. */
    public static Path find(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath()
                                        + ": the tests need the repository and ../shared beside it");
    }
}
