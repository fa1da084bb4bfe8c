package io.leadscore.server.grpc;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.grpc.status.GrpcErrors;
import io.grpc.stub.ServerCallStreamObserver;
import io.leadscore.server.readside.AlertStream;
import io.leadscore.server.readside.LeadAlert;
import io.leadscore.v1.WatchLeadsResponse;

/** One {@code WatchLeads} call as the stream a watch sends its alerts to; gRPC's flow control paces the watch. */
final class WatchLeadsCall implements AlertStream {

    private final ServerCallStreamObserver<WatchLeadsResponse> call;

    WatchLeadsCall(ServerCallStreamObserver<WatchLeadsResponse> call) {
        this.call = call;
    }

    @Override
    public boolean isCancelled() {
        return call.isCancelled();
    }

    @Override
    public boolean isReady() {
        return call.isReady();
    }

    @Override
    public void send(LeadAlert alert) {
        call.onNext(ScoreMessages.toProto(alert));
    }

    /** The watcher learns only that it may resume: what failed inside is no business of the caller. */
    @Override
    public void stopped(RuntimeException cause) {
        call.onError(GrpcErrors.toStatus(new LeadscoreException(
                ErrorCode.UNAVAILABLE, "", "the watch stopped; resume with the last resume_token")));
    }
}
