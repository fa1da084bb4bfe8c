package io.leadscore.server.grpc.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.grpc.status.GrpcErrors;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Authenticates every call (a bearer token in {@code authorization}, else the verified client certificate) and
 * checks the caller's role against {@link RpcRoles}. Missing or unknown credentials end the call with
 * {@code UNAUTHENTICATED}, a known caller without the role with {@code PERMISSION_DENIED}; either way the handler
 * never runs, so a refused call changes nothing. Handlers read the caller through {@link #currentCaller()}.
 */
public final class AccessControl implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";
    private static final Context.Key<Caller> CALLER = Context.key("leadscore-caller");
    private static final ServerCall.Listener<?> NOTHING = new ServerCall.Listener<>() { };

    private final CallerRegistry callers;
    /** What a call without credentials is told to send: the ways this server can know a caller. */
    private final String credentialsRequired;

    /** Access control on a server without mutual TLS: callers are known by their tokens only. */
    public AccessControl(CallerRegistry callers) {
        this(callers, false);
    }

    /** @param clientCertificates whether the server checks client certificates (mutual TLS) */
    public AccessControl(CallerRegistry callers, boolean clientCertificates) {
        this.callers = callers;
        this.credentialsRequired = clientCertificates
                ? "credentials required: send a client certificate signed by --tls-client-ca or a bearer token "
                  + "(authorization: Bearer <token>)"
                : "credentials required: send a bearer token (authorization: Bearer <token>)";
    }

    /** How callers are known, for the start-up line. */
    public String describe() {
        return callers.describe();
    }

    /** The caller of the current call, or empty on a server that runs open (loopback only). */
    public static Optional<Caller> currentCaller() {
        return Optional.ofNullable(CALLER.get());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<Caller> caller;
        try {
            caller = authenticate(call, headers);
        } catch (CredentialsRefused refused) {
            return refuse(call, ErrorCode.UNAUTHENTICATED, refused.getMessage());
        }
        if (caller.isEmpty()) {
            return refuse(call, ErrorCode.UNAUTHENTICATED, credentialsRequired);
        }
        if (!RpcRoles.openToEveryCaller(call.getMethodDescriptor().getServiceName())) {
            Optional<Role> required = RpcRoles.requiredRole(method);
            if (required.isEmpty() || !caller.get().has(required.get())) {
                return refuse(call, ErrorCode.PERMISSION_DENIED, (
                        "caller '" + caller.get().name() + "' may not call " + method
                        + required.map(role -> ": it needs the " + role.label() + " role").orElse("")));
            }
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller.get()), call, headers, next);
    }

    private Optional<Caller> authenticate(ServerCall<?, ?> call, Metadata headers) {
        String authorization = headers.get(AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                throw new CredentialsRefused("the authorization header must be 'Bearer <token>'");
            }
            return Optional.of(callers.byToken(authorization.substring(BEARER.length()).trim())
                                      .orElseThrow(() -> new CredentialsRefused("unknown bearer token")));
        }
        X509Certificate certificate = clientCertificate(call);
        if (certificate == null) {
            return Optional.empty();
        }
        return Optional.of(callers.byCertificate(certificate.getSubjectX500Principal())
                                  .orElseThrow(() -> new CredentialsRefused(
                                          "the client certificate names no known caller")));
    }

    /** The peer's verified certificate: TLS has already checked it against the client CA. */
    private static X509Certificate clientCertificate(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, ErrorCode code, String reason) {
        GrpcErrors.close(call, new LeadscoreException(code, "", reason));
        return (ServerCall.Listener<Q>) NOTHING;
    }

    private static final class CredentialsRefused extends RuntimeException {
        CredentialsRefused(String reason) {
            super(reason, null, false, false);
        }
    }
}
