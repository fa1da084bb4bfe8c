package io.leadscore.server.axon;

import io.grpc.Context;
import io.grpc.Deadline;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpiredCallFilterTest {

    private final ExpiredCallFilter filter = new ExpiredCallFilter();
    private final AtomicInteger handled = new AtomicInteger();

    @Test
    void runsCommandsOfLiveCallsAndOfNoCall() throws Exception {
        assertThat(handle()).isEqualTo("handled");
        Context.CancellableContext live = Context.current().withCancellation();
        try {
            assertThat(live.call(this::handle)).isEqualTo("handled");
        } finally {
            live.cancel(null);
        }
        assertThat(handled).hasValue(2);
    }

    @Test
    void dropsCommandsWhoseCallWasCancelledOrTimedOut() throws Exception {
        Context.CancellableContext cancelled = Context.current().withCancellation();
        cancelled.cancel(null);
        assertThatThrownBy(() -> cancelled.call(this::handle))
                .isInstanceOfSatisfying(LeadscoreException.class,
                                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            Context.CancellableContext expired = Context.current()
                    .withDeadline(Deadline.after(-1, TimeUnit.MILLISECONDS), timer);
            assertThatThrownBy(() -> expired.call(this::handle))
                    .isInstanceOfSatisfying(LeadscoreException.class,
                                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        } finally {
            timer.shutdownNow();
        }
        assertThat(handled).as("no dropped command reached its handler").hasValue(0);
    }

    private Object handle() throws Exception {
        UnitOfWork<CommandMessage<?>> unitOfWork =
                DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("record an engagement"));
        try {
            return filter.handle(unitOfWork, () -> {
                handled.incrementAndGet();
                return "handled";
            });
        } finally {
            unitOfWork.rollback();
        }
    }
}
