package io.leadscore.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** How a blocking call ended, as a status code, for tests that compare outcomes rather than catch exceptions. */
public final class StatusCodes {

    private StatusCodes() {
    }

    /** OK when {@code call} returns, else the code of the status it failed with. */
    public static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
