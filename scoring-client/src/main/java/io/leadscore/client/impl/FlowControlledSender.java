package io.leadscore.client.impl;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.StreamEngagementsRequest;
import io.leadscore.v1.StreamEngagementsResponse;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * Sends only while the transport is ready (gRPC's manual flow control), so a large file is never buffered in
 * memory ahead of what the server accepts.
 */
final class FlowControlledSender
        implements ClientResponseObserver<StreamEngagementsRequest, StreamEngagementsResponse> {

    private final Iterator<Engagement> engagements;
    private final CompletableFuture<StreamEngagementsResponse> summary;
    private boolean done;

    FlowControlledSender(Iterator<Engagement> engagements, CompletableFuture<StreamEngagementsResponse> summary) {
        this.engagements = engagements;
        this.summary = summary;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamEngagementsRequest> requests) {
        requests.setOnReadyHandler(() -> {
            synchronized (this) {
                while (!done && requests.isReady()) {
                    if (!engagements.hasNext()) {
                        done = true;
                        requests.onCompleted();
                        return;
                    }
                    try {
                        requests.onNext(StreamEngagementsRequest.newBuilder()
                                                .setEngagement(engagements.next()).build());
                    } catch (RuntimeException e) {
                        done = true;
                        requests.onError(e);
                        summary.completeExceptionally(e);
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void onNext(StreamEngagementsResponse response) {
        summary.complete(response);
    }

    @Override
    public void onError(Throwable t) {
        summary.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        summary.completeExceptionally(
                Status.INTERNAL.withDescription("stream ended without a summary").asRuntimeException());
    }
}
