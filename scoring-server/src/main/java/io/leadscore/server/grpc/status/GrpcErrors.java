package io.leadscore.server.grpc.status;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.model.ModelDocumentException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns any failure into the gRPC status the caller gets: the one place status codes are chosen. Caller mistakes
 * carry a {@code google.rpc.BadRequest} naming the field; internal failures are logged here and answered without
 * their details.
 */
public final class GrpcErrors {

    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    /** The status of any failure: a caller's mistake as itself, anything unexpected logged and INTERNAL. */
    public static StatusRuntimeException toStatus(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof StatusRuntimeException chosen) {
            // Built here before and thrown through a handler (an invalid document of a named field, say): only
            // this class builds statuses, so one that arrives is the caller's answer already.
            return chosen;
        }
        return toStatus(classify(failure));
    }

    public static StatusRuntimeException toStatus(LeadscoreException error) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(statusOf(error.code()).value())
                .setMessage(error.field().isEmpty() ? error.reason() : error.field() + ": " + error.reason());
        if (error.code() == ErrorCode.INVALID_ARGUMENT && !error.field().isEmpty()) {
            status.addDetails(Any.pack(BadRequest.newBuilder()
                    .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                            .setField(error.field())
                            .setDescription(error.reason()))
                    .build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** The gRPC status of each error: the one place statuses are chosen. */
    public static io.grpc.Status.Code statusOf(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> io.grpc.Status.Code.INVALID_ARGUMENT;
            case LEAD_NOT_FOUND, MODEL_NOT_FOUND -> io.grpc.Status.Code.NOT_FOUND;
            case LEAD_ALREADY_EXISTS, MODEL_ALREADY_EXISTS, SPEND_ALREADY_EXISTS -> io.grpc.Status.Code.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> io.grpc.Status.Code.FAILED_PRECONDITION;
            case OUT_OF_RANGE -> io.grpc.Status.Code.OUT_OF_RANGE;
            case CONCURRENT_MODIFICATION -> io.grpc.Status.Code.ABORTED;
            case STORE_UNAVAILABLE -> io.grpc.Status.Code.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> io.grpc.Status.Code.DEADLINE_EXCEEDED;
            case CANCELLED -> io.grpc.Status.Code.CANCELLED;
            case RESOURCE_EXHAUSTED -> io.grpc.Status.Code.RESOURCE_EXHAUSTED;
            case INTERNAL -> io.grpc.Status.Code.INTERNAL;
            case UNAVAILABLE -> io.grpc.Status.Code.UNAVAILABLE;
            case UNAUTHENTICATED -> io.grpc.Status.Code.UNAUTHENTICATED;
            case PERMISSION_DENIED -> io.grpc.Status.Code.PERMISSION_DENIED;
        };
    }

    /** The status of {@code error} as a call's close arguments (interceptors close calls, they throw nothing). */
    public static void close(io.grpc.ServerCall<?, ?> call, LeadscoreException error) {
        StatusRuntimeException status = toStatus(error);
        call.close(status.getStatus(), status.getTrailers() == null ? new io.grpc.Metadata() : status.getTrailers());
    }

    /** Every problem of the document in request field {@code field} as a field violation, all at once. */
    public static StatusRuntimeException invalidDocument(String field, ModelDocumentException e) {
        BadRequest.Builder violations = BadRequest.newBuilder();
        e.problems().forEach(problem -> violations.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField(field + (problem.path().isEmpty() ? "" : "." + problem.path()))
                .setDescription(problem.reason())));
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(io.grpc.Status.Code.INVALID_ARGUMENT.value())
                .setMessage(field + ": " + e.problems().size() + " problem(s), the first: " + e.problems().get(0))
                .addDetails(Any.pack(violations.build()))
                .build());
    }

    /**
     * RESOURCE_EXHAUSTED with the delay after which a retry may be admitted ({@code google.rpc.RetryInfo}), which
     * clients honour: the admission limit refuses before any work, so every call may be retried after it.
     */
    public static StatusRuntimeException busy(String reason, java.time.Duration retryAfter) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(io.grpc.Status.Code.RESOURCE_EXHAUSTED.value())
                .setMessage(reason + "; retry after " + retryAfter.toMillis() + " ms")
                .addDetails(Any.pack(com.google.rpc.RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                                .setSeconds(retryAfter.getSeconds())
                                .setNanos(retryAfter.getNano()))
                        .build()))
                .build());
    }

    /** Maps a failure to a caller-facing error; unknown failures are logged and reported as INTERNAL. */
    public static LeadscoreException classify(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof LeadscoreException error) {
            return error;
        }
        if (cause instanceof AggregateNotFoundException) {
            return new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "lead_id", "no lead with this id is registered");
        }
        if (cause instanceof ConcurrencyException || cause instanceof AggregateStreamCreationException) {
            return new LeadscoreException(ErrorCode.CONCURRENT_MODIFICATION, "",
                                          "the lead was changed concurrently; retry the call");
        }
        if (cause instanceof OutOfMemoryError) {
            log.error("a call ran the server out of memory: {}", cause.toString());
            return new LeadscoreException(ErrorCode.RESOURCE_EXHAUSTED, "",
                                          "the server ran out of memory for this call");
        }
        if (cause instanceof MongoTimeoutException || cause instanceof MongoSocketException) {
            return new LeadscoreException(ErrorCode.STORE_UNAVAILABLE, "", "the event store is unavailable");
        }
        log.error("internal error while handling a call", cause);
        return new LeadscoreException(ErrorCode.INTERNAL, "", "internal error");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current instanceof CommandExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
