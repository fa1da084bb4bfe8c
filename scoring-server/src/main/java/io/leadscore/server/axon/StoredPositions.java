package io.leadscore.server.axon;

import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.common.CommandPositions;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where in the store each command's events went, for its reply ({@code min_position} of a later read). A command
 * sent with {@link #REPORT} in its metadata has, once committed, the highest position it stored kept under its
 * message id until the sender {@link #take takes} it from its callback; commands sent without it leave nothing, so
 * nothing piles up for senders that never ask.
 */
public final class StoredPositions implements MessageHandlerInterceptor<CommandMessage<?>>, CommandPositions {

    /** The metadata key that asks for the command's position. */
    static final String REPORT = "leadscore.reportPosition";

    private final Map<String, Long> committed = new ConcurrentHashMap<>();
    private final java.util.function.LongSupplier head;

    /**
     * @param head the highest position the store has handed out: a command that stored nothing (a repeat) is
     *             answered with it, since whatever it repeats is stored at or below it
     */
    public StoredPositions(java.util.function.LongSupplier head) {
        this.head = head;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        if (Boolean.TRUE.equals(command.getMetaData().get(REPORT))) {
            unitOfWork.afterCommit(committedWork -> {
                Object through = committedWork.root().resources().get(MongoIndexedEventStorageEngine.APPENDED_THROUGH);
                committed.put(command.getIdentifier(), through instanceof Long position ? position : head.getAsLong());
            });
        }
        return interceptorChain.proceed();
    }

    @Override
    public CommandMessage<?> asking(Object command) {
        return GenericCommandMessage.asCommandMessage(command).andMetaData(Map.of(REPORT, true));
    }

    @Override
    public long take(CommandMessage<?> command) {
        Long position = committed.remove(command.getIdentifier());
        return position == null ? 0 : position;
    }
}
