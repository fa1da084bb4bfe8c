package io.leadscore.server.grpc.security;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Puts the authenticated caller of the gRPC call that sends a command into the command's metadata, under
 * {@value #CALLER}; the events the command causes inherit it (a correlation data provider copies it), so every
 * stored event says which caller caused it, whatever the request claimed as its actor. Commands the server sends
 * itself (SLA sweeps) and calls in open mode carry none.
 */
public final class CallerOnCommands implements MessageDispatchInterceptor<CommandMessage<?>> {

    /** The metadata key of the caller's name. */
    public static final String CALLER = "caller";

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(
            List<? extends CommandMessage<?>> messages) {
        return (index, command) -> AccessControl.currentCaller()
                .<CommandMessage<?>>map(caller -> command.andMetaData(Map.of(CALLER, caller.name())))
                .orElse(command);
    }
}
