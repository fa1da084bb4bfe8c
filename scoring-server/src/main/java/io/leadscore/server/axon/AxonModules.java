package io.leadscore.server.axon;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configurer;
import org.axonframework.messaging.MessageDispatchInterceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the composition root hands into the Axon configuration: the aggregates, the components their command
 * handlers take as parameters, and what every command passes through when sent. The configuration itself knows no
 * aggregate, so the features it runs sit above it.
 */
public final class AxonModules {

    private final List<Consumer<Configurer>> steps = new ArrayList<>();
    private final List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors =
            new ArrayList<>();
    private final List<String> metadataOnEvents = new ArrayList<>();

    /** A component that command handlers receive by type (Axon resolves handler parameters from them). */
    public <T> AxonModules component(Class<T> type, T instance) {
        steps.add(configurer -> configurer.registerComponent(type, c -> instance));
        return this;
    }

    /** An event-sourced aggregate loaded from its events each time (few commands, short histories). */
    public AxonModules aggregate(Class<?> type) {
        steps.add(configurer -> configurer.configureAggregate(type));
        return this;
    }

    /**
     * An event-sourced aggregate kept in {@code cache} and snapshotted once {@code snapshotEvery} events, or a
     * quarter of its history if more, have passed since its last snapshot: one with many commands and long histories.
     */
    public <T> AxonModules cachedAggregate(Class<T> type, CaffeineAggregateCache cache, int snapshotEvery) {
        steps.add(configurer -> configurer.configureAggregate(
                AggregateConfigurer.defaultConfiguration(type)
                                   .configureCache(c -> cache)
                                   .configureSnapshotTrigger(c -> new GrowingSnapshotTrigger(
                                           c.snapshotter(), snapshotEvery, 0.25))));
        return this;
    }

    /** Runs on every command as it is sent, in the sender's thread (to copy the caller of a call onto it, say). */
    public AxonModules onDispatch(MessageDispatchInterceptor<? super CommandMessage<?>> interceptor) {
        dispatchInterceptors.add(interceptor);
        return this;
    }

    /**
     * Copies the command metadata under {@code key} onto the events the command causes. Only what is named: Axon's
     * correlation and trace ids would add two UUIDs to every stored event and nothing reads them.
     */
    public AxonModules metadataOnEvents(String key) {
        metadataOnEvents.add(key);
        return this;
    }

    List<String> metadataOnEvents() {
        return List.copyOf(metadataOnEvents);
    }

    void applyTo(Configurer configurer) {
        steps.forEach(step -> step.accept(configurer));
    }

    List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors() {
        return List.copyOf(dispatchInterceptors);
    }
}
