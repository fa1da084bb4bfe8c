package io.leadscore.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;

import java.util.concurrent.Executor;

/**
 * A caller's token, sent as {@code authorization: Bearer <token>} on every call. Use it with a stub's
 * {@code withCallCredentials} or through {@link ChannelSecurity}. The server keeps only its SHA-256, so a lost token
 * is replaced, never recovered.
 */
public final class BearerToken extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String header;

    public BearerToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        this.header = "Bearer " + token.trim();
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, header);
        applier.apply(headers);
    }
}
