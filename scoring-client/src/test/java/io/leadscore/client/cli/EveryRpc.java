package io.leadscore.client.cli;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.leadscore.client.ApiServices;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Test services that serve every RPC of the API alike, and note each call with the deadline it came with: either
 * never answering (the call ends only by its deadline or by the caller) or refusing at once.
 */
final class EveryRpc {

    /** A call the server saw: its RPC's bare name and the time its deadline left it, null without a deadline. */
    record SeenCall(String rpc, Duration timeLeft) {
    }

    private final boolean answer;
    private final List<SeenCall> seen = new CopyOnWriteArrayList<>();

    private EveryRpc(boolean answer) {
        this.answer = answer;
    }

    /** Takes every message and never answers. */
    static EveryRpc neverAnswering() {
        return new EveryRpc(false);
    }

    /** Ends every call at once with FAILED_PRECONDITION (which no client retries). */
    static EveryRpc refusingAtOnce() {
        return new EveryRpc(true);
    }

    List<SeenCall> seen() {
        return List.copyOf(seen);
    }

    void forget() {
        seen.clear();
    }

    BindableService[] services() {
        return ApiServices.all().stream().map(this::service).toArray(BindableService[]::new);
    }

    private BindableService service(ServiceDescriptor descriptor) {
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor);
        descriptor.getMethods().forEach(method -> definition.addMethod(handler(method)));
        ServerServiceDefinition built = definition.build();
        return () -> built;
    }

    private <Q, R> ServerMethodDefinition<Q, R> handler(MethodDescriptor<Q, R> method) {
        return ServerMethodDefinition.create(method, (call, headers) -> {
            Deadline deadline = Context.current().getDeadline();
            seen.add(new SeenCall(method.getBareMethodName(), deadline == null ? null
                    : Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS))));
            if (answer) {
                call.close(Status.FAILED_PRECONDITION.withDescription("refused by the test server"), new Metadata());
            } else {
                call.request(Integer.MAX_VALUE);
            }
            return new ServerCall.Listener<>() {
            };
        });
    }
}
