package io.leadscore.server.axon;

import io.grpc.Context;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Drops a command whose gRPC call has already ended, by deadline or cancellation, before it loads the lead or
 * touches the store: under overload the queue would otherwise do work nobody waits for, and a caller that gave up
 * was never told it succeeded. The command executor carries each call's {@link Context} to the handler thread
 * ({@link Context#currentContextExecutor}); commands sent outside a call (SLA sweeps, publishes) have the root
 * context, which never ends.
 */
final class ExpiredCallFilter implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Context call = Context.current();
        if (call.isCancelled()) {
            boolean expired = call.getDeadline() != null && call.getDeadline().isExpired();
            throw new LeadscoreException(expired ? ErrorCode.DEADLINE_EXCEEDED : ErrorCode.CANCELLED, "",
                                         expired ? "the call's deadline passed before the command ran"
                                                 : "the call was cancelled before the command ran");
        }
        return chain.proceed();
    }
}
