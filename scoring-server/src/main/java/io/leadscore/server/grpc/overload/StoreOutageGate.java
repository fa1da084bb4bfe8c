package io.leadscore.server.grpc.overload;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.grpc.status.GrpcErrors;
import io.leadscore.server.storage.StoreAvailability;

import java.util.Set;

/**
 * Refuses calls that need the store with UNAVAILABLE while the store is down, at once: without it each call would
 * hold a thread until the driver gave up selecting a server, and a client with a short deadline would see
 * DEADLINE_EXCEEDED instead of a status it knows to retry. Reads served from the in-memory score projection keep
 * answering, with the scores as of the outage.
 */
public final class StoreOutageGate implements ServerInterceptor {

    private final StoreAvailability store;
    private final Set<String> servedFromMemory;

    /** @param servedFromMemory full method names that never touch the store */
    public StoreOutageGate(StoreAvailability store, Set<String> servedFromMemory) {
        this.store = store;
        this.servedFromMemory = Set.copyOf(servedFromMemory);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (store.isWritable() || servedFromMemory.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        GrpcErrors.close(call, new LeadscoreException(ErrorCode.STORE_UNAVAILABLE, "",
                                                      "the event store is unavailable; retry with backoff"));
        return new ServerCall.Listener<>() {
        };
    }
}
