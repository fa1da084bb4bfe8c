package io.leadscore.server.grpc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.RawBytes;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ScoreServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bytes that are not the method's protobuf message, sent raw to the real server: a caller error, one log line. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestEndToEndTest {

    /** RegisterLeadRequest.lead_id (field 1, length 2) holding 0xC3 0x28, which is not UTF-8. */
    private static final byte[] INVALID_UTF8 = {0x0a, 0x02, (byte) 0xc3, 0x28};
    /** Field 1 announces 5 bytes and the message ends after one. */
    private static final byte[] TRUNCATED = {0x0a, 0x05, 'a'};
    /** A tag with wire type 7, which protobuf does not have. */
    private static final byte[] BAD_WIRE_TYPE = {0x0f, 0x01};

    @RegisterExtension
    static final LeadscoreExtension LEADSCORE = LeadscoreExtension.withSystemClock();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeAll
    void listenToTheGuard() {
        logged.start();
        ((Logger) LoggerFactory.getLogger(MalformedRequestGuard.class)).addAppender(logged);
    }

    @AfterAll
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(MalformedRequestGuard.class)).detachAppender(logged);
    }

    @Test
    void malformedBytesAreInvalidArgumentWithOneLogLineAndStoreNothing() {
        long head = LEADSCORE.server().internals().engine().headPosition();
        for (byte[] malformed : List.of(INVALID_UTF8, TRUNCATED, BAD_WIRE_TYPE)) {
            for (MethodDescriptor<?, ?> method : List.of(LeadServiceGrpc.getRegisterLeadMethod(),
                                                         ScoreServiceGrpc.getGetScoreMethod())) {
                assertThatThrownBy(() -> call(method, malformed))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, refused -> {
                            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(refused.getStatus().getDescription()).startsWith(
                                    "the request is not a valid " + method.getBareMethodName() + " request message");
                        });
            }
        }
        assertThat(logged.list).hasSize(6).allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).startsWith("refused a malformed request to leadscore.v1.")
                                                   .doesNotContain("\n");
            assertThat(event.getThrowableProxy()).isNull();
        });
        assertThat(LEADSCORE.server().internals().engine().headPosition()).isEqualTo(head);
    }

    private static byte[] call(MethodDescriptor<?, ?> method, byte[] request, ManagedChannel channel) {
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method.getFullMethodName())
                .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(RawBytes.MARSHALLER).build();
        return ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                                             request);
    }

    private byte[] call(MethodDescriptor<?, ?> method, byte[] request) {
        return call(method, request, LEADSCORE.channel());
    }
}
