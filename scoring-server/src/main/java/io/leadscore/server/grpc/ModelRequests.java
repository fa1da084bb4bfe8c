package io.leadscore.server.grpc;

import io.leadscore.server.grpc.status.GrpcErrors;
import io.leadscore.server.model.ModelDocumentException;
import io.leadscore.server.model.ModelParser;
import io.leadscore.server.model.catalog.ModelCatalog;
import io.leadscore.server.model.catalog.ModelCommands;
import io.leadscore.server.model.catalog.ModelPublisher;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.GetModelRequest;
import io.leadscore.v1.PublishModelRequest;
import io.leadscore.v1.RollbackModelRequest;

import java.time.Clock;

import static io.leadscore.server.grpc.RequestValidator.invalid;

/**
 * The one validation of each {@code leadscore.v1.ModelService} request that can be wrong, which turns it into
 * what the catalog or the publisher takes. {@code ValidateModel} and {@code ListModels} have none: a document's
 * problems are ValidateModel's answer, and ListModels asks nothing.
 */
public final class ModelRequests {

    /** A stored model asked for by id; version 0 means its latest version. */
    record ModelLookup(String modelId, int version) {

        boolean latest() {
            return version == 0;
        }
    }

    private final Clock clock;

    public ModelRequests(Clock clock) {
        this.clock = clock;
    }

    /** A document that does not parse is refused with every problem it has, on {@code document}. */
    ModelCommands.CreateModelVersion createModel(CreateModelRequest request) {
        String document = request.hasModel() ? ModelMessages.toDocument(request.getModel()) : request.getDocument();
        try {
            ModelParser.parse(document);
        } catch (ModelDocumentException e) {
            throw GrpcErrors.invalidDocument("document", e);
        }
        return new ModelCommands.CreateModelVersion(ModelCatalog.ID, document, clock.instant());
    }

    ModelLookup getModel(GetModelRequest request) {
        if (request.getVersion() < 0) {
            throw invalid("version", "must be a version number, or 0 for the latest");
        }
        return new ModelLookup(request.getModelId(), request.getVersion());
    }

    ModelPublisher.Target publishModel(PublishModelRequest request) {
        if (request.getModelId().isEmpty() || request.getVersion() < 1) {
            throw invalid(request.getModelId().isEmpty() ? "model_id" : "version", "is required");
        }
        return ModelPublisher.Target.publish(request.getModelId() + "@" + request.getVersion());
    }

    /** A named version to return to, or none for the previously active model. */
    ModelPublisher.Target rollbackModel(RollbackModelRequest request) {
        if (request.getModelId().isEmpty() != (request.getVersion() == 0) || request.getVersion() < 0) {
            throw invalid(request.getModelId().isEmpty() ? "model_id" : "version",
                          "name both model_id and a positive version, or neither (the previously active model)");
        }
        return request.getModelId().isEmpty() ? ModelPublisher.Target.previous()
                : ModelPublisher.Target.rollbackTo(request.getModelId() + "@" + request.getVersion());
    }
}
