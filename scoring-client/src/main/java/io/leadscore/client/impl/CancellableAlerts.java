package io.leadscore.client.impl;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadAlerts;
import io.leadscore.v1.WatchLeadsResponse;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** A watch whose call runs in its own cancellable context, so that closing the alerts cancels the call. */
final class CancellableAlerts implements LeadAlerts {

    private final Context.CancellableContext call;
    private final Iterator<WatchLeadsResponse> alerts;
    private volatile boolean closed;

    private CancellableAlerts(Context.CancellableContext call, Iterator<WatchLeadsResponse> alerts) {
        this.call = call;
        this.alerts = alerts;
    }

    /** Starts the watch that {@code start} opens, in a context of its own. */
    static CancellableAlerts open(Supplier<Iterator<WatchLeadsResponse>> start) {
        Context.CancellableContext call = Context.current().withCancellation();
        Context previous = call.attach();
        try {
            return new CancellableAlerts(call, start.get());
        } catch (RuntimeException e) {
            call.cancel(e);
            throw e;
        } finally {
            call.detach(previous);
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        try {
            return alerts.hasNext();
        } catch (StatusRuntimeException e) {
            // Closed from another thread while this one waited: the watch ended as asked, not with an error.
            if (closed && e.getStatus().getCode() == Status.Code.CANCELLED) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public WatchLeadsResponse next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the watch has ended");
        }
        return alerts.next();
    }

    @Override
    public void close() {
        closed = true;
        call.cancel(null);
    }
}
