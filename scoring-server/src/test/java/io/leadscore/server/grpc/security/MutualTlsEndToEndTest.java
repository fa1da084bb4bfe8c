package io.leadscore.server.grpc.security;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.ChannelSecurity;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.ListModelsRequest;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.RegisterLeadRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server on Netty with TLS: identities from client certificates (mutual TLS) and from tokens, and every way a
 * connection without the right credentials is turned away. Certificates are made for each run.
 */
class MutualTlsEndToEndTest {

    private static final String ADMIN_TOKEN = "admin-token-for-the-tls-test";

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withSystemClock().overNetty().startedByTheTest();

    @Test
    void clientCertificatesNameTheCallerAndStrangersAreTurnedAway() throws IOException {
        TestCertificates ca = new TestCertificates(leadscore.directory(), "leadscore");
        Path[] serverCert = ca.issue("leadscore-server");
        Path[] crmSync = ca.issue("crm-sync");
        Path[] stranger = ca.issue("stranger");
        Path[] forged = new TestCertificates(leadscore.directory(), "other").issue("crm-sync");
        Path callers = Files.writeString(leadscore.directory().resolve("callers.yaml"), """
                callers:
                  - name: crm-sync
                    roles: [ingest, reader]
                    certificate_cn: crm-sync
                  - name: ops-admin
                    roles: [admin]
                    token_sha256: %s
                """.formatted(CallerRegistry.sha256Hex(ADMIN_TOKEN)));
        int port = start(new ServerSecurity(serverCert[0], serverCert[1], ca.caFile(), callers));

        LeadscoreClient crm = client(port, new ChannelSecurity(true, ca.caFile(), crmSync[0], crmSync[1], null));
        assertThat(crm.registerLead(RegisterLeadRequest.newBuilder().setLeadId("lead-tls")
                                            .setEmail("ana@acme.com").setAccountDomain("acme.com").build())
                      .getScore().getLeadId()).isEqualTo("lead-tls");
        // GetScore reads the projection, which follows the store by a few milliseconds: NOT_FOUND until then.
        assertThat(await().atMost(Duration.ofSeconds(10)).ignoreException(StatusRuntimeException.class)
                          .until(() -> crm.getScore("lead-tls"), java.util.Objects::nonNull).getLeadId())
                .isEqualTo("lead-tls");
        assertThatThrownBy(() -> ModelServiceGrpc.newBlockingStub(channel(port, new ChannelSecurity(
                        true, ca.caFile(), crmSync[0], crmSync[1], null)))
                .withDeadlineAfter(5, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));

        // A token names the caller even on a connection that also shows a certificate.
        assertThat(ModelServiceGrpc.newBlockingStub(channel(port, new ChannelSecurity(
                               true, ca.caFile(), crmSync[0], crmSync[1], ADMIN_TOKEN)))
                           .withDeadlineAfter(5, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance())
                           .getModelsCount()).isGreaterThanOrEqualTo(0);

        assertCode(client(port, new ChannelSecurity(true, ca.caFile(), stranger[0], stranger[1], null)),
                   Status.Code.UNAUTHENTICATED);
        // Same name, wrong CA: the server asks for certificates of its client CA, so this one is never accepted
        // (the client does not offer it), and the call has no credentials.
        assertCode(client(port, new ChannelSecurity(true, ca.caFile(), forged[0], forged[1], null)),
                   Status.Code.UNAUTHENTICATED);
        // No TLS: the handshake fails before any call.
        assertCode(client(port, new ChannelSecurity(false, null, null, null, ADMIN_TOKEN)), Status.Code.UNAVAILABLE);
    }

    @Test
    void underMutualTlsATokenWithoutACertificateNamesTheCallerAndACallerWithNeitherIsToldWhatToSend()
            throws IOException {
        // given mutual TLS and a callers file with a token caller as well as a certificate caller
        TestCertificates ca = new TestCertificates(leadscore.directory(), "leadscore");
        Path[] serverCert = ca.issue("leadscore-server");
        Path callers = Files.writeString(leadscore.directory().resolve("callers.yaml"), """
                callers:
                  - name: crm-sync
                    roles: [ingest, reader]
                    certificate_cn: crm-sync
                  - name: ops-admin
                    roles: [admin]
                    token_sha256: %s
                """.formatted(CallerRegistry.sha256Hex(ADMIN_TOKEN)));
        int port = start(new ServerSecurity(serverCert[0], serverCert[1], ca.caFile(), callers));

        // when a client sends the token over TLS without a client certificate, then it is that caller
        assertThat(ModelServiceGrpc.newBlockingStub(channel(port, new ChannelSecurity(
                               true, ca.caFile(), null, null, ADMIN_TOKEN)))
                           .withDeadlineAfter(5, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance())
                           .getModelsCount()).isGreaterThanOrEqualTo(0);

        // when a client sends neither, then the status says what is missing instead of an opaque handshake failure
        assertThatThrownBy(() -> client(port, new ChannelSecurity(true, ca.caFile(), null, null, null))
                .getScore("no-such-lead"))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> {
                    Status status = ((StatusRuntimeException) e).getStatus();
                    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(status.getDescription())
                            .contains("send a client certificate signed by --tls-client-ca or a bearer token");
                });
    }

    @Test
    void withOnlyCertificateCallersAClientWithoutACertificateIsRefusedAtTheHandshake() throws IOException {
        // given mutual TLS and a callers file that names certificates only: nobody can call without one
        TestCertificates ca = new TestCertificates(leadscore.directory(), "leadscore");
        Path[] serverCert = ca.issue("leadscore-server");
        Path callers = Files.writeString(leadscore.directory().resolve("callers.yaml"), """
                callers:
                  - name: crm-sync
                    roles: [reader]
                    certificate_cn: crm-sync
                """);
        int port = start(new ServerSecurity(serverCert[0], serverCert[1], ca.caFile(), callers));

        // when a client comes without a certificate, then the TLS handshake already turns it away
        assertCode(client(port, new ChannelSecurity(true, ca.caFile(), null, null, "some-token")),
                   Status.Code.UNAVAILABLE);
    }

    @Test
    void tlsWithTokensAndAServerCertificateTheClientDoesNotTrust() throws IOException {
        TestCertificates ca = new TestCertificates(leadscore.directory(), "leadscore");
        Path[] serverCert = ca.issue("leadscore-server");
        Path callers = Files.writeString(leadscore.directory().resolve("callers.yaml"), """
                callers:
                  - name: reporting
                    roles: [reader]
                    token_sha256: %s
                """.formatted(CallerRegistry.sha256Hex("reader-token")));
        int port = start(new ServerSecurity(serverCert[0], serverCert[1], null, callers));

        LeadscoreClient reader = client(port, new ChannelSecurity(true, ca.caFile(), null, null, "reader-token"));
        assertCode(reader, Status.Code.NOT_FOUND); // authenticated and authorized: the lead does not exist
        assertCode(client(port, new ChannelSecurity(true, ca.caFile(), null, null, null)),
                   Status.Code.UNAUTHENTICATED);
        Path otherCa = new TestCertificates(leadscore.directory(), "other").caFile();
        assertCode(client(port, new ChannelSecurity(true, otherCa, null, null, "reader-token")),
                   Status.Code.UNAVAILABLE);
    }

    private int start(ServerSecurity security) {
        return leadscore.start(config -> config.withSecurity(security)).server().grpcPort();
    }

    private ManagedChannel channel(int port, ChannelSecurity security) throws IOException {
        return leadscore.closeWithServer(security.open("localhost:" + port));
    }

    private LeadscoreClient client(int port, ChannelSecurity security) throws IOException {
        return LeadscoreClient.create(channel(port, security), Duration.ofSeconds(5));
    }

    private static void assertCode(LeadscoreClient client, Status.Code expected) {
        assertThatThrownBy(() -> client.getScore("no-such-lead"))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(expected));
    }
}
