package io.leadscore.server.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the server protects its gRPC port: TLS from a certificate and key, client certificates checked against a CA
 * (mutual TLS), and a callers file that names who may call and with which roles. Without a callers file the server
 * runs open, which it only does on a loopback address.
 *
 * @param tlsCert     PEM certificate chain of the server, or null for plaintext
 * @param tlsKey      PEM private key (PKCS#8) of that certificate, or null
 * @param tlsClientCa PEM CA that client certificates must chain to (mutual TLS), or null
 * @param callersFile YAML file of callers and their roles ({@link CallerRegistry}), or null to run open
 */
public record ServerSecurity(Path tlsCert, Path tlsKey, Path tlsClientCa, Path callersFile) {

    /** Plaintext and open: the embedded default, for loopback only. */
    public static final ServerSecurity NONE = new ServerSecurity(null, null, null, null);

    public ServerSecurity {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key (mutual TLS is TLS)");
        }
        if (tlsClientCa != null && callersFile == null) {
            throw new IllegalArgumentException("--tls-client-ca needs --callers-file to map certificates to roles");
        }
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /**
     * The access control to put in front of every service, or empty when the server runs open. Refuses to run
     * open on any address but loopback: lead data is personal data.
     */
    public Optional<AccessControl> accessControl(String bindAddress) {
        if (callersFile == null) {
            if (!isLoopback(bindAddress)) {
                throw new IllegalArgumentException("refusing to listen on " + bindAddress + " without authentication: "
                                                   + "give --callers-file (and --tls-cert/--tls-key), or bind to "
                                                   + "127.0.0.1");
            }
            return Optional.empty();
        }
        return Optional.of(new AccessControl(CallerRegistry.load(callersFile)));
    }

    /** Transport credentials for the gRPC port. */
    public ServerCredentials credentials() {
        if (!tls()) {
            return InsecureServerCredentials.create();
        }
        try {
            TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                    .keyManager(tlsCert.toFile(), tlsKey.toFile());
            if (tlsClientCa != null) {
                builder.trustManager(tlsClientCa.toFile())
                       .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
        }
    }

    /** What the start-up line says about access. */
    public String describe(Optional<AccessControl> access) {
        String transport = tlsClientCa != null ? "mutual TLS" : tls() ? "TLS" : "plaintext";
        return access.map(control -> transport + ", " + control.describe())
                     .orElse(transport + ", OPEN: no authentication (loopback only)");
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
