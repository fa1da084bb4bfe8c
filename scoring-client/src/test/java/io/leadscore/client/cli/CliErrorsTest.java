package io.leadscore.client.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mistake on the command line is one line on stderr that names the option and what is valid, a non-zero exit,
 * and never a stack trace; nothing is sent.
 */
class CliErrorsTest {

    // Openssl's traditional formats, as `openssl genrsa` and `openssl ecparam -genkey` write them (bodies cut short:
    // the format is told by the armour line, before anything decodes the body).
    private static final String PKCS1_RSA_KEY = """
            -----BEGIN RSA PRIVATE KEY-----
            MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu
            -----END RSA PRIVATE KEY-----
            """;
    private static final String SEC1_EC_KEY = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEIBkg4LVWM9nuwNSk3yByxZuvj8ZcrjY9zRoSEnf0HQFBoAoGCCqGSM49
            -----END EC PRIVATE KEY-----
            """;
    private static final String CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBfTCCASOgAwIBAgIUQ2RmT0dQ2w5pXb3DkD8YqK5m4dAwCgYIKoZIzj0EAwIw
            -----END CERTIFICATE-----
            """;

    @TempDir
    Path dir;

    @Test
    void aStageThatDoesNotExistNamesTheOptionAndTheValidStages() {
        CliRun.Result result = CliRun.offline("watch", "--stage", "mqll");

        assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
        assertOneLine(result.err());
        assertThat(result.err()).contains("--stage").contains("'mqll' is not a stage")
                                .contains("mql").contains("sql").doesNotContain("unspecified");
    }

    @Test
    void theQueueAndProfileCommandsCheckTheirValuesTheSameWay() {
        CliRun.Result queue = CliRun.offline("queue", "--stage", "lead_stage_nope");
        CliRun.Result profile = CliRun.offline("profile", "lead-1", "--seniority", "boss");

        assertThat(queue.exit()).isEqualTo(ExitCodes.USAGE);
        assertOneLine(queue.err());
        assertThat(profile.exit()).isEqualTo(ExitCodes.USAGE);
        assertOneLine(profile.err());
        assertThat(profile.err()).contains("--seniority").contains("'boss' is not a seniority").contains("c_level");
    }

    @Test
    void aMissingInputFileIsNamedWithItsParameter() throws IOException {
        Files.writeString(dir.resolve("mapping.yaml"), "id: id\nregistered_at: created\n");

        CliRun.Result csv = CliRun.offline("import", "csv", "--mapping", dir.resolve("mapping.yaml").toString(),
                                           dir.resolve("leads.csv").toString());
        CliRun.Result mapping = CliRun.offline("import", "csv", "--mapping", "nope.yaml", "leads.csv");
        CliRun.Result jsonl = CliRun.offline("import-jsonl", "missing.jsonl");

        assertThat(csv.exit()).isEqualTo(ExitCodes.USAGE);
        assertOneLine(csv.err());
        assertThat(csv.err()).contains("no such file or directory: '" + dir.resolve("leads.csv") + "'");
        assertThat(mapping.err()).contains("--mapping").contains("'nope.yaml'");
        assertOneLine(jsonl.err());
        assertThat(jsonl.err()).contains("'missing.jsonl'");
    }

    @Test
    void aPkcs1RsaKeyIsRefusedWithTheFormatWantedAndTheConversion() throws IOException {
        Files.writeString(dir.resolve("client.pem"), CERTIFICATE);
        Files.writeString(dir.resolve("client.key"), PKCS1_RSA_KEY);

        CliRun.Result result = CliRun.offline("--tls-cert", dir.resolve("client.pem").toString(),
                                              "--tls-key", dir.resolve("client.key").toString(), "score", "lead-1");

        assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
        assertOneLine(result.err());
        assertThat(result.err()).startsWith("error: --tls-key: ").contains("PKCS#1 RSA key")
                                .contains("PKCS#8 key (BEGIN PRIVATE KEY)").contains("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void anEcKeyInOpensslsOwnFormatIsRefusedTheSameWay() throws IOException {
        Files.writeString(dir.resolve("client.pem"), CERTIFICATE);
        Files.writeString(dir.resolve("client.key"), SEC1_EC_KEY);

        CliRun.Result result = CliRun.offline("--tls-cert", dir.resolve("client.pem").toString(),
                                              "--tls-key", dir.resolve("client.key").toString(), "score", "lead-1");

        assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
        assertOneLine(result.err());
        assertThat(result.err()).startsWith("error: --tls-key: ").contains("BEGIN EC PRIVATE KEY")
                                .contains("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aKeyGivenAsTheCertificateIsNamedAsSuch() throws IOException {
        Files.writeString(dir.resolve("client.key"), SEC1_EC_KEY);

        CliRun.Result result = CliRun.offline("--tls-cert", dir.resolve("client.key").toString(),
                                              "--tls-key", dir.resolve("client.key").toString(), "score", "lead-1");

        assertOneLine(result.err());
        assertThat(result.err()).startsWith("error: --tls-cert: ").contains("not a PEM certificate");
    }

    @Test
    void anUnknownOptionIsOneLineWithAPointerToHelp() {
        CliRun.Result result = CliRun.offline("score", "lead-1", "--jsn");

        assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
        assertOneLine(result.err());
        assertThat(result.err()).contains("--jsn").contains("see 'leadscore score --help'");
    }

    @Test
    void anUnexpectedFailureIsOneLineWithoutAStackTrace() {
        OneLineErrors errors = new OneLineErrors();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine command = LeadscoreCli.commandLine(new LeadscoreCli())
                                                  .setErr(new java.io.PrintWriter(err));

        int exit = errors.handleExecutionException(new IllegalStateException("import failed",
                new IllegalArgumentException("Index for header 'stage' is 8 but CSVRecord only has 3 values!")),
                command, null);

        assertThat(exit).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).isEqualTo("error: import failed: Index for header 'stage' is 8 but CSVRecord only "
                                             + "has 3 values!" + System.lineSeparator());
    }

    private static void assertOneLine(String err) {
        assertThat(err.lines()).hasSize(1);
        assertThat(err).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception");
    }
}
