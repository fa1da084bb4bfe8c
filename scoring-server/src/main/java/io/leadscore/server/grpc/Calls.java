package io.leadscore.server.grpc;

import io.grpc.stub.StreamObserver;
import io.leadscore.server.grpc.status.GrpcErrors;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How a handler answers a call, so that none writes its own catch block: whatever a handler throws, or a future it
 * returns fails with, becomes the status {@link GrpcErrors} chooses, and the call always ends.
 */
final class Calls {

    private Calls() {
    }

    /** Answers with what {@code handler} returns, or with the status of what it throws. */
    static <T> void answer(StreamObserver<T> response, Supplier<T> handler) {
        try {
            response.onNext(handler.get());
            response.onCompleted();
        } catch (RuntimeException e) {
            fail(response, e);
        }
    }

    /**
     * Answers when the future {@code handler} returns completes, without holding a gRPC thread meanwhile; what the
     * handler throws before (a refused request) is answered at once.
     */
    static <T> void answerLater(StreamObserver<T> response, Supplier<? extends CompletionStage<T>> handler) {
        CompletionStage<T> answer;
        try {
            answer = handler.get();
        } catch (RuntimeException e) {
            fail(response, e);
            return;
        }
        answer.whenComplete((value, failure) -> {
            if (failure != null) {
                fail(response, failure);
            } else {
                response.onNext(value);
                response.onCompleted();
            }
        });
    }

    /**
     * The request as {@code parser} reads it, or empty once the call was refused with the status of what the
     * parser threw: for calls that go on streaming after the request was read.
     */
    static <P> Optional<P> parse(StreamObserver<?> response, Supplier<P> parser) {
        try {
            return Optional.of(parser.get());
        } catch (RuntimeException e) {
            fail(response, e);
            return Optional.empty();
        }
    }

    /**
     * Runs a handler that answers by itself (a stream it starts, a task it hands to another thread); what it throws
     * while starting ends the call with that status.
     */
    static void start(StreamObserver<?> response, Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            fail(response, e);
        }
    }

    /** Ends the call with the status of {@code failure}. */
    static void fail(StreamObserver<?> response, Throwable failure) {
        response.onError(GrpcErrors.toStatus(failure));
    }
}
