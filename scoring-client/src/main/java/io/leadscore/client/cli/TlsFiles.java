package io.leadscore.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What is wrong with the TLS files given to the client, if anything, in one line naming the option. gRPC reads them
 * only when the channel is built, and then says "Input stream does not contain valid private key" without naming
 * the file or what it wanted. The key must be unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}); openssl writes other
 * formats with some commands and versions, so the message gives the conversion.
 */
final class TlsFiles {

    private static final String KEY_WANTED = "the client needs an unencrypted PKCS#8 key (BEGIN PRIVATE KEY)";

    private TlsFiles() {
    }

    static Optional<String> problem(Path ca, Path cert, Path key) {
        try {
            certificate("--tls-ca", ca);
            certificate("--tls-cert", cert);
            privateKey(key);
            return Optional.empty();
        } catch (Unusable e) {
            return Optional.of(e.getMessage());
        }
    }

    /** A file that cannot be used as the option wants; the message names the option and says why. */
    private static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    private static void certificate(String option, Path file) throws Unusable {
        if (file != null && !text(option, file).contains("-----BEGIN CERTIFICATE-----")) {
            throw new Unusable(option + ": " + file + " is not a PEM certificate (no BEGIN CERTIFICATE line)");
        }
    }

    private static void privateKey(Path file) throws Unusable {
        if (file == null) {
            return;
        }
        String text = text("--tls-key", file);
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            return;
        }
        String convert = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pk8.pem";
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new Unusable("--tls-key: " + file + " is a PKCS#1 RSA key (BEGIN RSA PRIVATE KEY); " + KEY_WANTED
                               + convert);
        }
        if (text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new Unusable("--tls-key: " + file + " is a SEC 1 EC key (BEGIN EC PRIVATE KEY); " + KEY_WANTED
                               + convert);
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new Unusable("--tls-key: " + file + " is encrypted; " + KEY_WANTED + convert);
        }
        throw new Unusable("--tls-key: " + file + " is not a PEM private key; " + KEY_WANTED);
    }

    private static String text(String option, Path file) throws Unusable {
        if (!Files.isRegularFile(file)) {
            throw new Unusable(option + ": no such file: " + file);
        }
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; any byte reads
        } catch (IOException e) {
            throw new Unusable(option + ": " + file + " cannot be read");
        }
    }
}
