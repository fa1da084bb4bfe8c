package io.leadscore.server.grpc;

import io.leadscore.server.lead.api.CommandOutcome;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.util.concurrent.CompletableFuture;

/** Sends lead commands through Axon and hands back their outcome without blocking the calling thread. */
public final class LeadCommands {

    private final CommandGateway gateway;

    public LeadCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public CompletableFuture<CommandOutcome> send(Object command) {
        return gateway.send(command);
    }
}
