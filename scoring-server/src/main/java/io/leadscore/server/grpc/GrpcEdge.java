package io.leadscore.server.grpc;

import io.grpc.BindableService;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.leadscore.server.grpc.overload.InFlightLimiter;
import io.leadscore.server.grpc.overload.StoreOutageGate;
import io.leadscore.server.grpc.security.AccessControl;
import io.leadscore.server.storage.StoreAvailability;
import io.leadscore.v1.ScoreServiceGrpc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Puts Leadscore's services on a gRPC server behind the interceptors every call passes, in their order, and adds
 * health and reflection. The one place that decides what a call goes through before a service sees it.
 */
public final class GrpcEdge {

    /** Reads answered from the in-memory score projection: they keep answering while the store is down. */
    private static final Set<String> SERVED_FROM_MEMORY = Set.of(
            ScoreServiceGrpc.getGetScoreMethod().getFullMethodName(),
            ScoreServiceGrpc.getBatchGetScoresMethod().getFullMethodName(),
            ScoreServiceGrpc.getListLeadsMethod().getFullMethodName());

    /**
     * What guards the services.
     *
     * @param access       who may call what, when callers are configured
     * @param limiter      the in-flight limit, overall and per caller
     * @param store        whether the store takes writes (calls that need it fail fast while it does not)
     * @param idleTimeout  a call that neither sends nor receives for this long is cancelled
     * @param idleTimer    the timer of those idle timeouts
     * @param slowCall     unary calls slower than this are logged
     * @param registry     request metrics go here
     * @param maxMessage   requests larger than this many bytes are refused before they are parsed
     */
    public record Guards(Optional<AccessControl> access, InFlightLimiter limiter, StoreAvailability store,
                         Duration idleTimeout, ScheduledExecutorService idleTimer, Duration slowCall,
                         MeterRegistry registry, int maxMessage) {
    }

    private GrpcEdge() {
    }

    /** Adds {@code services}, guarded, with health (open to probes) and reflection (for callers) to {@code builder}. */
    public static void install(ServerBuilder<?> builder, List<BindableService> services, ServingHealth health,
                               Guards guards) {
        // The last interceptor runs first: request ids and metrics see every call, refused ones included; access
        // is checked before a call takes one of the limited in-flight places, and the idle timeout watches every
        // call that was let in. Requests are parsed between the two lists, under the malformed-request guard: the
        // inner interceptors see parsed messages, and a malformed request never takes an in-flight place.
        List<ServerInterceptor> onMessages =
                List.of(new StoreOutageGate(guards.store(), SERVED_FROM_MEMORY), guards.limiter());
        List<ServerInterceptor> onCalls = new ArrayList<>();
        onCalls.add(new IdleCallTimeout(guards.idleTimeout(), guards.idleTimer()));
        guards.access().ifPresent(onCalls::add);
        onCalls.add(new MetricCollectingServerInterceptor(guards.registry()));
        onCalls.add(new SlowCallLogger(guards.slowCall()));
        services.forEach(service -> builder.addService(MalformedRequestGuard.guard(
                ServerInterceptors.intercept(service, onMessages), onCalls)));
        builder.maxInboundMessageSize(guards.maxMessage());
        // Health stays open so that probes and load balancers need no credentials; reflection needs a caller.
        builder.addService(health.service());
        BindableService reflection = ProtoReflectionServiceV1.newInstance();
        builder.addService(guards.access().isPresent() ? ServerInterceptors.intercept(reflection, guards.access().get())
                                                       : reflection.bindService());
        io.micrometer.core.instrument.Gauge.builder("leadscore.grpc.in.flight", guards.limiter(),
                                                    InFlightLimiter::inFlight)
                .description("Unary and client-streaming calls being worked on; beyond --max-in-flight they are "
                             + "refused with RESOURCE_EXHAUSTED")
                .register(guards.registry());
    }
}
