package io.leadscore.server.model.catalog;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.model.ModelDefinition;
import io.leadscore.server.model.ModelParser;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The event-sourced catalog of scoring models: drafts are stored once and never change; publishing makes one the
 * active model. Its history says which model scored what, and when.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ModelCatalog {

    /** There is one catalog. */
    public static final String ID = "model-catalog";

    @AggregateIdentifier
    private String catalogId;
    private CatalogState state = new CatalogState();

    public ModelCatalog() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public String handle(ModelCommands.CreateModelVersion command) {
        ModelDefinition model = ModelParser.parse(command.document());
        if (state.contains(model.versionName())) {
            throw new LeadscoreException(ErrorCode.MODEL_ALREADY_EXISTS, "document.version",
                                         model.versionName() + " exists; versions are immutable, use a new version");
        }
        apply(new ModelVersionCreated(ID, model.id(), model.version(), command.document(), command.createdAt()));
        return model.versionName();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public String handle(ModelCommands.PublishModelVersion command) {
        if (!state.contains(command.versionName())) {
            throw new LeadscoreException(ErrorCode.MODEL_NOT_FOUND, "version", "no model " + command.versionName());
        }
        if (state.active().equals(command.versionName())) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "version",
                                         command.versionName() + " is already the active model");
        }
        // A draft stored before today's rules (numeric bounds) must meet them to go live.
        try {
            ModelParser.parse(state.entry(command.versionName()).document());
        } catch (io.leadscore.server.model.ModelDocumentException e) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "version", command.versionName()
                                         + " does not meet today's model rules; store a corrected version: "
                                         + e.problems());
        }
        apply(new ModelVersionPublished(ID, command.versionName(), state.active(), false, command.publishedAt()));
        return command.versionName();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public String handle(ModelCommands.RollbackModel command) {
        String target = command.versionName() == null ? state.previous() : command.versionName();
        if (target == null) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "",
                                         "no model was active before " + state.active());
        }
        if (!state.contains(target)) {
            throw new LeadscoreException(ErrorCode.MODEL_NOT_FOUND, "version", "no model " + target);
        }
        if (!state.wasPublished(target)) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "version",
                                         target + " was never published; publish it instead");
        }
        if (state.active().equals(target)) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "version", target + " is the active model");
        }
        apply(new ModelVersionPublished(ID, target, state.active(), true, command.publishedAt()));
        return target;
    }

    @EventSourcingHandler
    void on(ModelVersionCreated event) {
        catalogId = event.catalogId();
        state.apply(event);
    }

    @EventSourcingHandler
    void on(ModelVersionPublished event) {
        catalogId = event.catalogId();
        state.apply(event);
    }
}
