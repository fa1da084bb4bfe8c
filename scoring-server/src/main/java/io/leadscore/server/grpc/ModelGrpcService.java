package io.leadscore.server.grpc;

import io.grpc.stub.StreamObserver;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.model.ModelDefinition;
import io.leadscore.server.model.ModelDocumentException;
import io.leadscore.server.model.ModelParser;
import io.leadscore.server.model.catalog.CatalogReader;
import io.leadscore.server.model.catalog.CatalogState;
import io.leadscore.server.model.catalog.ModelPublisher;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.CreateModelResponse;
import io.leadscore.v1.GetModelRequest;
import io.leadscore.v1.GetModelResponse;
import io.leadscore.v1.ListModelsRequest;
import io.leadscore.v1.ListModelsResponse;
import io.leadscore.v1.ModelInfo;
import io.leadscore.v1.ModelProblem;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.ModelState;
import io.leadscore.v1.PublishModelRequest;
import io.leadscore.v1.PublishModelResponse;
import io.leadscore.v1.PublishProgress;
import io.leadscore.v1.PublishSummary;
import io.leadscore.v1.RollbackModelRequest;
import io.leadscore.v1.RollbackModelResponse;
import io.leadscore.v1.ValidateModelRequest;
import io.leadscore.v1.ValidateModelResponse;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@code leadscore.v1.ModelService}: the model catalog and publishing; each request that can be wrong is read
 * through {@link ModelRequests} first.
 */
public final class ModelGrpcService extends ModelServiceGrpc.ModelServiceImplBase {

    private final CommandGateway commands;
    private final CatalogReader catalog;
    private final ModelPublisher publisher;
    private final Executor publishExecutor;
    private final ModelRequests requests;

    public ModelGrpcService(CommandGateway commands, CatalogReader catalog, ModelPublisher publisher,
                            Executor publishExecutor, ModelRequests requests) {
        this.commands = commands;
        this.catalog = catalog;
        this.publisher = publisher;
        this.publishExecutor = publishExecutor;
        this.requests = requests;
    }

    @Override
    public void validateModel(ValidateModelRequest request, StreamObserver<ValidateModelResponse> response) {
        ValidateModelResponse.Builder builder = ValidateModelResponse.newBuilder();
        try {
            ModelDefinition model = ModelParser.parse(request.hasModel()
                    ? ModelMessages.toDocument(request.getModel()) : request.getDocument());
            builder.setValid(true).setVersionName(model.versionName());
        } catch (ModelDocumentException e) {
            builder.setValid(false);
            e.problems().forEach(p -> builder.addProblems(ModelProblem.newBuilder().setPath(p.path())
                                                                      .setReason(p.reason())));
        }
        response.onNext(builder.build());
        response.onCompleted();
    }

    @Override
    public void createModel(CreateModelRequest request, StreamObserver<CreateModelResponse> response) {
        Calls.answer(response, () -> {
            String name = commands.sendAndWait(requests.createModel(request));
            CatalogState state = catalog.read();
            return CreateModelResponse.newBuilder().setModel(info(state, name)).build();
        });
    }

    @Override
    public void getModel(GetModelRequest request, StreamObserver<GetModelResponse> response) {
        Calls.answer(response, () -> {
            ModelRequests.ModelLookup wanted = requests.getModel(request);
            CatalogState state = catalog.read();
            String name = !wanted.latest() ? wanted.modelId() + "@" + wanted.version()
                    : state.entries().stream().map(CatalogState.Entry::versionName)
                           .filter(n -> n.startsWith(wanted.modelId() + "@"))
                           .reduce((a, b) -> b).orElse("");
            if (!state.contains(name)) {
                throw new LeadscoreException(ErrorCode.MODEL_NOT_FOUND, "model_id",
                                             "no stored model " + wanted.modelId()
                                             + (!wanted.latest() ? "@" + wanted.version() : ""));
            }
            return GetModelResponse.newBuilder().setModel(info(state, name))
                                            .setDocument(state.entry(name).document()).build();
        });
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> response) {
        Calls.answer(response, () -> {
            CatalogState state = catalog.read();
            ListModelsResponse.Builder builder = ListModelsResponse.newBuilder();
            state.entries().forEach(entry -> builder.addModels(info(state, entry.versionName())));
            return builder.build();
        });
    }

    @Override
    public void publishModel(PublishModelRequest request, StreamObserver<PublishModelResponse> response) {
        Calls.parse(response, () -> requests.publishModel(request)).ifPresent(target -> streamPublish(
                target, response,
                progress -> PublishModelResponse.newBuilder().setProgress(progress).build(),
                summary -> PublishModelResponse.newBuilder().setSummary(summary).build()));
    }

    @Override
    public void rollbackModel(RollbackModelRequest request, StreamObserver<RollbackModelResponse> response) {
        Calls.parse(response, () -> requests.rollbackModel(request)).ifPresent(target -> streamPublish(
                target, response,
                progress -> RollbackModelResponse.newBuilder().setProgress(progress).build(),
                summary -> RollbackModelResponse.newBuilder().setSummary(summary).build()));
    }

    /** Runs the replay off the gRPC threads and streams at most one progress message per change. */
    private <T> void streamPublish(ModelPublisher.Target target, StreamObserver<T> response, Function<PublishProgress, T> onProgress,
                                   Function<PublishSummary, T> onSummary) {
        String requestId = SlowCallLogger.currentRequestId();
        publishExecutor.execute(() -> {
            // The publish log line carries the id of the request that asked for it.
            org.slf4j.MDC.put("requestId", requestId);
            try {
                long[] last = {-1};
                ModelPublisher.Summary summary = publisher.publish(target, progress -> {
                    if (progress.eventsReplayed() != last[0]) {
                        last[0] = progress.eventsReplayed();
                        response.onNext(onProgress.apply(PublishProgress.newBuilder()
                                .setEventsReplayed(progress.eventsReplayed())
                                .setHeadPosition(progress.headPosition()).build()));
                    }
                });
                response.onNext(onSummary.apply(PublishSummary.newBuilder()
                        .setActiveVersion(summary.activeVersion())
                        .setPreviousVersion(summary.previousVersion())
                        .setLeadsRescored(summary.leadsRescored())
                        .setLeadsChangedBand(summary.leadsChangedBand())
                        .setLeadsBecameMql(summary.leadsBecameMql())
                        .setLeadsLeftMql(summary.leadsLeftMql())
                        .setReplayMillis(summary.replay().toMillis()).build()));
                response.onCompleted();
            } catch (RuntimeException e) {
                Calls.fail(response, e);
            } finally {
                org.slf4j.MDC.remove("requestId");
            }
        });
    }

    private static ModelInfo info(CatalogState state, String name) {
        CatalogState.Entry entry = state.entry(name);
        ModelDefinition model = state.definition(name);
        ModelInfo.Builder info = ModelInfo.newBuilder()
                .setModelId(model.id()).setVersion(model.version()).setVersionName(name)
                .setDescription(model.description())
                .setState(state.active().equals(name) ? ModelState.MODEL_STATE_ACTIVE
                                  : state.wasPublished(name) ? ModelState.MODEL_STATE_RETIRED
                                  : ModelState.MODEL_STATE_DRAFT);
        if (entry.createdAt() != null) {
            info.setCreatedAt(ProtoTime.toTimestamp(entry.createdAt()));
        }
        if (entry.lastPublishedAt() != null) {
            info.setLastPublishedAt(ProtoTime.toTimestamp(entry.lastPublishedAt()));
        }
        return info.build();
    }
}
