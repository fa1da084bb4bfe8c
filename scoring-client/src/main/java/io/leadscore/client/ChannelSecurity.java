package io.leadscore.client;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How a client reaches a Leadscore server: plaintext (a server open on loopback), TLS checked against the system's
 * or a given CA, a client certificate for mutual TLS, and a bearer token. Builds the channel; the caller owns it.
 *
 * @param tls        use TLS (implied by any of the files)
 * @param caFile     PEM CA to trust instead of the system's, or null
 * @param certFile   PEM client certificate chain for mutual TLS, or null
 * @param keyFile    PEM private key (PKCS#8) of {@code certFile}, or null
 * @param token      bearer token, or null
 */
public record ChannelSecurity(boolean tls, Path caFile, Path certFile, Path keyFile, String token) {

    public static final ChannelSecurity PLAINTEXT = new ChannelSecurity(false, null, null, null, null);

    public ChannelSecurity {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        tls = tls || caFile != null || certFile != null;
        token = token == null || token.isBlank() ? null : token.trim();
    }

    /** A channel to {@code target} ({@code host:port}) with these credentials. */
    public ManagedChannel open(String target) throws IOException {
        ChannelCredentials transport = InsecureChannelCredentials.create();
        if (tls) {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
            if (caFile != null) {
                builder.trustManager(caFile.toFile());
            }
            if (certFile != null) {
                builder.keyManager(certFile.toFile(), keyFile.toFile());
            }
            transport = builder.build();
        }
        ChannelCredentials credentials = token == null ? transport
                : CompositeChannelCredentials.create(transport, new BearerToken(token));
        return NettyChannelBuilder.forTarget(target, credentials).build();
    }
}
