package io.leadscore.client.impl;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import java.time.Duration;
import java.util.Optional;

/** Reads the server's advice on when to retry ({@code google.rpc.RetryInfo} in the status details). */
final class RetryAdvice {

    private RetryAdvice() {
    }

    static Optional<Duration> retryDelay(StatusRuntimeException failure) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status == null) {
            return Optional.empty();
        }
        return status.getDetailsList().stream().filter(detail -> detail.is(RetryInfo.class)).findFirst()
                     .flatMap(detail -> {
                         try {
                             com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
                             return Optional.of(Duration.ofSeconds(delay.getSeconds(), delay.getNanos()));
                         } catch (InvalidProtocolBufferException e) {
                             return Optional.empty();
                         }
                     });
    }
}
