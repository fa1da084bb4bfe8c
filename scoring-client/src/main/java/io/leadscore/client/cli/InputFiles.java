package io.leadscore.client.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Input paths checked while the command line is read, so a typo in a file name fails at once, naming the option,
 * before a connection is made or anything is sent.
 */
final class InputFiles {

    private InputFiles() {
    }

    /** A readable file. */
    static final class ExistingFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = path(value);
            if (Files.isDirectory(path)) {
                throw new TypeConversionException("'" + value + "' is a directory; a file is expected");
            }
            readable(path, value);
            return path;
        }
    }

    /** A readable directory. */
    static final class ExistingDirectory implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = path(value);
            readable(path, value);
            if (!Files.isDirectory(path)) {
                throw new TypeConversionException("'" + value + "' is a file; a directory is expected");
            }
            return path;
        }
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + value + "' is not a path");
        }
    }

    private static void readable(Path path, String value) {
        if (!Files.exists(path)) {
            throw new TypeConversionException("no such file or directory: '" + value + "'");
        }
        if (!Files.isReadable(path)) {
            throw new TypeConversionException("'" + value + "' cannot be read (permissions)");
        }
    }
}
