package io.leadscore.server.common;

/**
 * Every error Leadscore reports. Which gRPC status each becomes is the edge's business (grpc/status/GrpcErrors), so the
 * domain below it names errors without knowing the transport.
 */
public enum ErrorCode {
    INVALID_ARGUMENT,
    LEAD_NOT_FOUND,
    MODEL_NOT_FOUND,
    LEAD_ALREADY_EXISTS,
    MODEL_ALREADY_EXISTS,
    SPEND_ALREADY_EXISTS,
    FAILED_PRECONDITION,
    /** A value past what exists (a store position beyond the head): valid later, perhaps, but not now. */
    OUT_OF_RANGE,
    CONCURRENT_MODIFICATION,
    STORE_UNAVAILABLE,
    DEADLINE_EXCEEDED,
    CANCELLED,
    RESOURCE_EXHAUSTED,
    INTERNAL,
    /** A service that stopped for now (a watch whose feed failed): the caller may try again. */
    UNAVAILABLE,
    /** No credentials, or credentials naming no known caller. */
    UNAUTHENTICATED,
    /** A known caller without the role a call needs. */
    PERMISSION_DENIED
}
