package io.leadscore.server.grpc;

import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One call under {@link IdleCallTimeout}. The timer closes the call from its own thread, so everything that
 * touches the call or its listener goes through one lock: grpc-java wants a call's methods serialized, and the
 * handler must not see a message after it was told the call is over. Once closed here, whatever the handler still
 * does to the call is dropped.
 */
final class IdleWatch<Q, R> {

    private final Object lock = new Object();
    private final ServerCall<Q, R> call;
    private final long timeoutNanos;
    private final ScheduledExecutorService timer;
    private final Supplier<StatusRuntimeException> idleStatus;
    /** The call's context (caller, deadline), for the cancellation delivered on the timer's thread. */
    private final Context context = Context.current();
    private ServerCall.Listener<Q> listener;
    private ScheduledFuture<?> check;
    /** Messages the server asked for and has not received: only then is the client keeping it waiting. */
    private long awaited;
    private long lastActivity = System.nanoTime();
    private boolean halfClosed;
    private boolean closed;
    private boolean ended;

    IdleWatch(ServerCall<Q, R> call, Duration timeout, ScheduledExecutorService timer,
              Supplier<StatusRuntimeException> idleStatus) {
        this.call = call;
        this.timeoutNanos = timeout.toNanos();
        this.timer = timer;
        this.idleStatus = idleStatus;
    }

    /** The call to hand to the handler. */
    ServerCall<Q, R> call() {
        return new GuardedCall();
    }

    /** Watches the handler's listener, from now. */
    ServerCall.Listener<Q> watch(ServerCall.Listener<Q> handler) {
        synchronized (lock) {
            listener = handler;
            if (!closed) {
                schedule(timeoutNanos);
            }
        }
        return new WatchingListener(handler);
    }

    private void schedule(long delayNanos) {
        check = timer.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void stopWatching() {
        if (check != null) {
            check.cancel(false);
        }
    }

    private void checkIdle() {
        synchronized (lock) {
            if (closed || halfClosed || ended) {
                return;
            }
            long quiet = System.nanoTime() - lastActivity;
            if (awaited <= 0 || quiet < timeoutNanos) {
                schedule(awaited <= 0 ? timeoutNanos : timeoutNanos - quiet);
                return;
            }
            StatusRuntimeException status = idleStatus.get();
            closed = true;
            call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
            // The handler learns now, not when the transport confirms: what the call holds is released at once.
            ended = true;
            context.run(listener::onCancel);
        }
    }

    private final class GuardedCall extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        GuardedCall() {
            super(call);
        }

        @Override
        public void request(int messages) {
            synchronized (lock) {
                if (!closed) {
                    awaited = Math.min(Integer.MAX_VALUE, awaited + messages);
                    // The client cannot be late for a message the server had not asked for: the clock starts now.
                    lastActivity = System.nanoTime();
                    super.request(messages);
                }
            }
        }

        @Override
        public void sendHeaders(Metadata headers) {
            synchronized (lock) {
                if (!closed) {
                    super.sendHeaders(headers);
                }
            }
        }

        @Override
        public void sendMessage(R message) {
            synchronized (lock) {
                if (!closed) {
                    super.sendMessage(message);
                }
            }
        }

        @Override
        public void close(Status status, Metadata trailers) {
            synchronized (lock) {
                if (!closed) {
                    closed = true;
                    stopWatching();
                    super.close(status, trailers);
                }
            }
        }
    }

    private final class WatchingListener extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

        WatchingListener(ServerCall.Listener<Q> delegate) {
            super(delegate);
        }

        @Override
        public void onMessage(Q message) {
            synchronized (lock) {
                if (!ended) {
                    awaited--;
                    lastActivity = System.nanoTime();
                    super.onMessage(message);
                }
            }
        }

        @Override
        public void onHalfClose() {
            synchronized (lock) {
                if (!ended) {
                    halfClosed = true;
                    stopWatching();
                    super.onHalfClose();
                }
            }
        }

        @Override
        public void onReady() {
            synchronized (lock) {
                if (!ended) {
                    super.onReady();
                }
            }
        }

        @Override
        public void onComplete() {
            synchronized (lock) {
                stopWatching();
                if (!ended) {
                    ended = true;
                    super.onComplete();
                }
            }
        }

        @Override
        public void onCancel() {
            synchronized (lock) {
                stopWatching();
                if (!ended) {
                    ended = true;
                    super.onCancel();
                }
            }
        }
    }
}
