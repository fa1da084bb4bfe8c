package io.leadscore.server.grpc.status;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Failures that are not Leadscore's own still end a call with a status that says what happened. */
class GrpcErrorsTest {

    @Test
    void aLeadRegisteredWithOtherDetailsIsAlreadyExists() {
        assertThat(GrpcErrors.statusOf(io.leadscore.server.common.ErrorCode.LEAD_ALREADY_EXISTS))
                .isEqualTo(io.grpc.Status.Code.ALREADY_EXISTS);
    }

    @Test
    void runningOutOfMemoryIsResourceExhaustedWithoutInternals() {
        Status status = GrpcErrors.toStatus(new OutOfMemoryError("Java heap space")).getStatus();

        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).isEqualTo("the server ran out of memory for this call");
    }
}
