package io.leadscore.server.grpc.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * @param allowPlaintextTokens accept bearer tokens without TLS on an address beyond loopback (TLS ends in front of
 *                    the server); without it such a server refuses to start
 */
public record ServerSecurity(Path tlsCert, Path tlsKey, Path tlsClientCa, Path callersFile,
                             boolean allowPlaintextTokens) {

    private static final Logger log = LoggerFactory.getLogger(ServerSecurity.class);

    /** Plaintext and open: the embedded default, for loopback only. */
    public static final ServerSecurity NONE = new ServerSecurity(null, null, null, null);

    /** Without {@code --allow-plaintext-tokens}. */
    public ServerSecurity(Path tlsCert, Path tlsKey, Path tlsClientCa, Path callersFile) {
        this(tlsCert, tlsKey, tlsClientCa, callersFile, false);
    }

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
     * open on any address but loopback (lead data is personal data), and to take bearer tokens over plaintext there
     * unless {@link #allowPlaintextTokens} says TLS ends in front of the server: anyone on the path could read a
     * token and replay it.
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
        if (plaintextTokensBeyondLoopback(bindAddress)) {
            if (!allowPlaintextTokens) {
                throw new IllegalArgumentException("refusing to accept bearer tokens over plaintext on " + bindAddress
                                                   + ": give --tls-cert and --tls-key, or --allow-plaintext-tokens "
                                                   + "if a proxy or mesh in front of this server ends TLS");
            }
            log.warn("accepting bearer tokens over plaintext on {} (--allow-plaintext-tokens): anyone on the network "
                     + "path to this server can read and replay them; run it like this only behind a proxy or mesh "
                     + "that ends TLS", bindAddress);
        }
        return Optional.of(new AccessControl(CallerRegistry.load(callersFile), tlsClientCa != null));
    }

    /**
     * Transport credentials for the gRPC port. With mutual TLS and token callers the client certificate is optional
     * at the handshake: a token-only client then reaches the server, and a client with neither credential is told
     * by {@link AccessControl} what to send instead of failing an opaque handshake. A certificate that is sent must
     * still chain to the client CA. With certificate callers only, nobody can call without one, and the handshake
     * turns such clients away before they reach gRPC at all.
     */
    public ServerCredentials credentials() {
        if (!tls()) {
            return InsecureServerCredentials.create();
        }
        try {
            TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                    .keyManager(tlsCert.toFile(), tlsKey.toFile());
            if (tlsClientCa != null) {
                builder.trustManager(tlsClientCa.toFile())
                       .clientAuth(CallerRegistry.load(callersFile).hasTokenCallers()
                                           ? TlsServerCredentials.ClientAuth.OPTIONAL
                                           : TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
        }
    }

    /** What the start-up line says about access. */
    public String describe(Optional<AccessControl> access) {
        String transport = tlsClientCa != null ? "mutual TLS" : tls() ? "TLS" : "plaintext";
        if (!tls() && allowPlaintextTokens && access.isPresent()) {
            transport += ", TOKENS UNENCRYPTED ON THE NETWORK (--allow-plaintext-tokens)";
        }
        String described = transport;
        return access.map(control -> described + ", " + control.describe())
                     .orElse(transport + ", OPEN: no authentication (loopback only)");
    }

    private boolean plaintextTokensBeyondLoopback(String bindAddress) {
        return !tls() && !isLoopback(bindAddress);
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
