package io.leadscore.client.impl;

import io.grpc.Context;
import io.grpc.Status;

import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a server stream of progress messages that ends in one result (publish, rollback, backtest) on the calling
 * thread, and cancels the call however the reading ends: a caller whose progress handler throws leaves no call
 * open on the server.
 */
final class ProgressStream {

    private ProgressStream() {
    }

    /**
     * The result of the stream that {@code start} opens.
     *
     * @param resultOf the result a message carries, or null for a progress message
     * @param progress told of every progress message, in order
     * @param noResult what went wrong when the stream ends without a result
     */
    static <M, T> T result(Supplier<Iterator<M>> start, Function<M, T> resultOf, Consumer<M> progress,
                           String noResult) {
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            Iterator<M> messages;
            Context previous = call.attach();
            try {
                messages = start.get(); // the call belongs to the context it starts in
            } finally {
                call.detach(previous);
            }
            while (messages.hasNext()) {
                M message = messages.next();
                T result = resultOf.apply(message);
                if (result != null) {
                    return result;
                }
                progress.accept(message);
            }
            throw Status.INTERNAL.withDescription(noResult).asRuntimeException();
        } finally {
            call.cancel(null);
        }
    }
}
