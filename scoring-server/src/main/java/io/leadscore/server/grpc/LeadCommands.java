package io.leadscore.server.grpc;

import io.leadscore.server.lead.api.EngagementsOutcome;
import io.leadscore.server.lead.api.RecordEngagementCommand;
import io.leadscore.server.lead.api.RecordEngagementsCommand;
import io.leadscore.server.metrics.BusinessMetrics;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.common.CommandPositions;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.gateway.CommandGateway;

import io.leadscore.server.lead.api.EraseLeadCommand;
import io.leadscore.server.privacy.PersonalDataVault;

import java.util.concurrent.CompletableFuture;

/**
 * Sends lead commands through Axon and hands back their outcome without blocking the calling thread; counts what
 * they did for the business metrics (engagements stored, leads becoming MQLs), whichever API sent them.
 */
public final class LeadCommands {

    private final CommandGateway gateway;
    private final BusinessMetrics metrics;

    private final PersonalDataVault personalData;
    private final CommandPositions positions;

    public LeadCommands(CommandGateway gateway, CommandPositions positions, BusinessMetrics metrics,
                        PersonalDataVault personalData) {
        this.gateway = gateway;
        this.positions = positions;
        this.metrics = metrics;
        this.personalData = personalData;
    }

    /** Records the erasure (the lead must exist), then destroys the lead's key; a repeat destroys it again. */
    public CompletableFuture<CommandOutcome> erase(EraseLeadCommand command) {
        return send(command).thenApply(outcome -> {
            personalData.erase(command.leadId());
            return outcome;
        });
    }

    public CompletableFuture<CommandOutcome> send(Object command) {
        CompletableFuture<CommandOutcome> outcome = this.<CommandOutcome>sendForPosition(command)
                .thenApply(stored -> stored.outcome().storedThrough(stored.position()));
        return outcome.whenComplete((result, failure) -> {
            if (result == null) {
                return;
            }
            if (command instanceof RecordEngagementCommand engagement
                && result.effect() == CommandOutcome.Effect.APPLIED) {
                metrics.engagementIngested(engagement.engagement().type());
            }
            if (result.becameMql()) {
                metrics.mqlTransition(result.lead().channel());
            }
        });
    }

    /** Sends several engagements of one lead as one command, counting each one stored. */
    public CompletableFuture<EngagementsOutcome> send(RecordEngagementsCommand command) {
        CompletableFuture<EngagementsOutcome> outcome = this.<EngagementsOutcome>sendForPosition(command)
                .thenApply(stored -> stored.outcome().storedThrough(stored.position()));
        return outcome.whenComplete((result, failure) -> {
            if (result == null) {
                return;
            }
            for (int i = 0; i < result.effects().size(); i++) {
                if (result.effects().get(i) == CommandOutcome.Effect.APPLIED) {
                    metrics.engagementIngested(command.engagements().get(i).type());
                }
            }
            if (result.becameMql()) {
                metrics.mqlTransition(result.lead().channel());
            }
        });
    }

    /** A command's outcome and the store position of the last event it stored. */
    private record Stored<R>(R outcome, long position) {
    }

    /**
     * Sends {@code command} asking for the store position of its events, which its outcome, built before the
     * events were committed, cannot know.
     */
    private <R> CompletableFuture<Stored<R>> sendForPosition(Object command) {
        CompletableFuture<Stored<R>> stored = new CompletableFuture<>();
        gateway.send(positions.asking(command), (CommandCallback<Object, R>) (sent, result) -> {
            long position = positions.take(sent);
            if (result.isExceptional()) {
                stored.completeExceptionally(result.exceptionResult());
            } else {
                stored.complete(new Stored<>(result.getPayload(), position));
            }
        });
        return stored;
    }

    /** An engagement was refused, by validation or by the aggregate; {@code code} is the gRPC status code. */
    void engagementRejected(io.grpc.Status.Code code) {
        metrics.engagementRejected(code.name());
    }
}
