package io.leadscore.server.grpc.security;

import io.leadscore.server.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerRegistryTest {

    private static final String TOKEN = "lsk_example-token";

    @TempDir
    Path dir;

    @Test
    void findsCallersByTokenAndByCertificateName() throws IOException {
        CallerRegistry registry = CallerRegistry.load(Files.writeString(dir.resolve("callers.yaml"), """
                callers:
                  - name: web-tracking
                    roles: [ingest]
                    token_sha256: %s
                  - name: crm-sync
                    roles: [ingest, sales]
                    certificate_cn: crm-sync
                """.formatted(CallerRegistry.sha256Hex(TOKEN).toUpperCase())));

        assertThat(registry.byToken(TOKEN)).contains(new Caller("web-tracking", Set.of(Role.INGEST)));
        assertThat(registry.byToken(TOKEN + "x")).isEmpty();
        assertThat(registry.byToken("")).isEmpty();
        assertThat(registry.byCertificate(new X500Principal("CN=crm-sync, O=Acme, C=DE")))
                .contains(new Caller("crm-sync", Set.of(Role.INGEST, Role.SALES)));
        assertThat(registry.byCertificate(new X500Principal("CN=crm-sync-2, O=Acme"))).isEmpty();
        assertThat(registry.byCertificate(new X500Principal("O=crm-sync"))).isEmpty();
        assertThat(registry.describe()).isEqualTo("1 token caller(s), 1 certificate caller(s)")
                                       .doesNotContain("web-tracking");
    }

    @Test
    void theExampleCallersFileIsValidAndItsTokensAreTheOnesItNames() {
        CallerRegistry example = CallerRegistry.load(RepositoryFiles.find("ops/examples/callers.example.yaml"));
        assertThat(example.byToken("dev-token")).map(Caller::roles).contains(Set.of(Role.values()));
        assertThat(example.byToken("dev-ingest-token")).map(Caller::roles).contains(Set.of(Role.INGEST));
        assertThat(example.byToken("dev-reader-token")).map(Caller::roles).contains(Set.of(Role.READER));
        assertThat(example.byCertificate(new X500Principal("CN=crm-sync"))).map(Caller::name).contains("crm-sync");
    }

    @Test
    void everyMistakeIsNamedWithItsEntry() throws IOException {
        String hash = CallerRegistry.sha256Hex(TOKEN);
        assertRefused(List.of(entry(null, List.of("reader"), hash, null)), "callers[0].name: is required");
        assertRefused(List.of(entry("a", List.of(), hash, null)), "callers[0].roles");
        assertRefused(List.of(entry("a", List.of("superuser"), hash, null)), "unknown role 'superuser'");
        assertRefused(List.of(entry("a", List.of("reader"), null, null)), "exactly one of");
        assertRefused(List.of(entry("a", List.of("reader"), hash, "a")), "exactly one of");
        assertRefused(List.of(entry("a", List.of("reader"), "secret-in-clear", null)), "64 hex digits");
        assertRefused(List.of(entry("a", List.of("reader"), hash, null), entry("a", List.of("sales"), null, "b")),
                      "callers[1].name: 'a' is listed twice");
        assertRefused(List.of(entry("a", List.of("reader"), null, "x"), entry("b", List.of("sales"), null, "x")),
                      "belongs to another caller");
        assertThatThrownBy(() -> CallerRegistry.load(Files.writeString(dir.resolve("empty.yaml"), "callers: []\n")))
                .hasMessageContaining("lists no callers");
        assertThatThrownBy(() -> CallerRegistry.load(Files.writeString(dir.resolve("typo.yaml"),
                                                                       "callers:\n  - name: a\n    role: [reader]\n")))
                .hasMessageContaining("cannot read the callers file");
        assertThatThrownBy(() -> CallerRegistry.load(dir.resolve("missing.yaml")))
                .hasMessageContaining("cannot read the callers file");
    }

    private static CallerRegistry.Entry entry(String name, List<String> roles, String token, String cn) {
        return new CallerRegistry.Entry(name, roles, token, cn);
    }

    private static void assertRefused(List<CallerRegistry.Entry> entries, String reason) {
        assertThatThrownBy(() -> CallerRegistry.of(entries)).isInstanceOf(IllegalArgumentException.class)
                                                           .hasMessageContaining(reason);
    }
}
