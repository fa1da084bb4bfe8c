package io.leadscore.client.impl;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one attempt of a call did on the wire, as far as the client can know: whether a stream for it was created on
 * a connected transport (only then can any of it have reached the server) and whether an answer came back. Attach
 * it to the attempt's stub with {@code withInterceptors}; gRPC reports to it through a stream tracer.
 */
final class AttemptTrace extends ClientStreamTracer.Factory implements ClientInterceptor {

    private final AtomicBoolean reachedTransport = new AtomicBoolean();
    private final AtomicBoolean answered = new AtomicBoolean();

    /**
     * Whether the request may have reached the server. False means it cannot have: the channel had no connection
     * to put it on (the server was down or unreachable), so the server never saw the call.
     */
    boolean mayHaveReachedServer() {
        return reachedTransport.get();
    }

    /** Whether the server sent at least one message on this attempt. */
    boolean answered() {
        return answered.get();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return next.newCall(method, options.withStreamTracerFactory(this));
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
        // One tracer per stream: gRPC's own transparent retries open more than one stream for one attempt.
        return new ClientStreamTracer() {
            @Override
            public void streamCreated(Attributes transportAttributes, Metadata headers) {
                reachedTransport.set(true);
            }

            @Override
            public void inboundMessage(int seqNo) {
                answered.set(true);
            }
        };
    }
}
