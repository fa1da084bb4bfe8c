package io.leadscore.server.common;

import io.grpc.Status;

/** Every error Leadscore reports, with the gRPC status it maps to. The one place statuses are chosen. */
public enum ErrorCode {
    INVALID_ARGUMENT(Status.Code.INVALID_ARGUMENT),
    LEAD_NOT_FOUND(Status.Code.NOT_FOUND),
    MODEL_NOT_FOUND(Status.Code.NOT_FOUND),
    LEAD_ALREADY_EXISTS(Status.Code.ALREADY_EXISTS),
    MODEL_ALREADY_EXISTS(Status.Code.ALREADY_EXISTS),
    SPEND_ALREADY_EXISTS(Status.Code.ALREADY_EXISTS),
    FAILED_PRECONDITION(Status.Code.FAILED_PRECONDITION),
    CONCURRENT_MODIFICATION(Status.Code.ABORTED),
    STORE_UNAVAILABLE(Status.Code.UNAVAILABLE),
    DEADLINE_EXCEEDED(Status.Code.DEADLINE_EXCEEDED),
    CANCELLED(Status.Code.CANCELLED),
    RESOURCE_EXHAUSTED(Status.Code.RESOURCE_EXHAUSTED),
    INTERNAL(Status.Code.INTERNAL);

    private final Status.Code status;

    ErrorCode(Status.Code status) {
        this.status = status;
    }

    public Status.Code status() {
        return status;
    }
}
