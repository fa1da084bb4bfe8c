package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreServer;
import io.leadscore.server.ServerConfig;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetModelRequest;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.ListModelsRequest;
import io.leadscore.v1.ModelInfo;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.ModelState;
import io.leadscore.v1.Profile;
import io.leadscore.v1.PublishModelRequest;
import io.leadscore.v1.PublishModelResponse;
import io.leadscore.v1.PublishSummary;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RollbackModelRequest;
import io.leadscore.v1.RollbackModelResponse;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.ValidateModelRequest;
import io.leadscore.v1.ValidateModelResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Validating, storing, publishing and rolling back models over gRPC on the embedded store. */
class ModelServiceEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    /** The default model with an MQL rule no lead meets. */
    private static final String STRICT = BuiltInModels.defaultDocument()
            .replace("version: 1", "version: 2")
            .replace("      - {fit_grade_at_least: B, engagement_at_least: 40}\n", "")
            .replace("{total_at_least: 60}", "{total_at_least: 500}");

    @TempDir
    Path dataDir;
    private LeadscoreServer server;
    private ManagedChannel channel;
    private LeadscoreClient client;
    private ModelServiceGrpc.ModelServiceBlockingStub models;

    @BeforeEach
    void start() {
        String name = InProcessServerBuilder.generateName();
        server = LeadscoreServer.start(ServerConfig.forTests(dataDir), InProcessServerBuilder.forName(name),
                                       Clock.fixed(NOW, ZoneOffset.UTC));
        channel = InProcessChannelBuilder.forName(name).build();
        client = LeadscoreClient.create(channel, Duration.ofSeconds(10));
        models = ModelServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    /** A VP who requested a demo and saw the pricing page: an MQL under the default model. */
    private LeadScore qualifiedLead(String leadId) {
        client.registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.com")
                                               .setRegisteredAt(at(NOW.minusSeconds(3600))).build());
        client.updateProfile(UpdateProfileRequest.newBuilder().setLeadId(leadId).setUpdatedAt(at(NOW.minusSeconds(600)))
                                                 .setProfile(Profile.newBuilder().setJobTitle("VP Sales")
                                                         .setSeniority(Seniority.SENIORITY_VP).setCompanySize(300)).build());
        client.recordEngagement(Engagement.newBuilder().setLeadId(leadId).setEventId(leadId + "-p").setType("page_view")
                                          .setOccurredAt(at(NOW.minusSeconds(60))).putAttributes("page_category", "pricing").build());
        LeadScore score = client.recordEngagement(Engagement.newBuilder().setLeadId(leadId).setEventId(leadId + "-d")
                                                          .setType("demo_requested").setOccurredAt(at(NOW.minusSeconds(60))).build())
                                .getScore();
        assertThat(score.getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.getScore(leadId).getVersion() >= score.getVersion());
        return score;
    }

    private static <T> List<T> drain(Iterator<T> stream) {
        List<T> messages = new ArrayList<>();
        stream.forEachRemaining(messages::add);
        return messages;
    }

    @Test
    void aBrokenModelIsRejectedWithEveryProblemNamedAndNothingStored() throws Exception {
        String broken = STRICT.replace("half_life_days: 90", "half_life_days: -1")
                              .replace("regex: '\\b(student|intern|trainee)\\b'", "regex: '(unclosed'");

        ValidateModelResponse validation = models.validateModel(ValidateModelRequest.newBuilder()
                                                                        .setDocument(broken).build());
        StatusRuntimeException error = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> models.createModel(CreateModelRequest.newBuilder().setDocument(broken).build()));

        assertThat(validation.getValid()).isFalse();
        assertThat(validation.getProblemsList()).extracting(p -> p.getPath())
                                                .contains("fit.exclusions[1].regex", "engagement.rules[0].half_life_days");
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        BadRequest details = StatusProto.fromThrowable(error).getDetails(0).unpack(BadRequest.class);
        assertThat(details.getFieldViolationsList()).hasSize(validation.getProblemsCount());
        assertThat(models.listModels(ListModelsRequest.getDefaultInstance()).getModelsList())
                .extracting(ModelInfo::getVersionName).containsExactly("default@1");
    }

    @Test
    void publishingAStricterModelMovesLeadsOutOfMqlAndRollbackRestoresThem() {
        qualifiedLead("lead-1");
        qualifiedLead("lead-2");

        ModelInfo draft = models.createModel(CreateModelRequest.newBuilder().setDocument(STRICT).build()).getModel();
        assertThat(draft.getVersionName()).isEqualTo("default@2");
        assertThat(draft.getState()).isEqualTo(ModelState.MODEL_STATE_DRAFT);

        List<PublishModelResponse> published = drain(models.publishModel(
                PublishModelRequest.newBuilder().setModelId("default").setVersion(2).build()));
        PublishSummary summary = published.get(published.size() - 1).getSummary();

        assertThat(summary.getActiveVersion()).isEqualTo("default@2");
        assertThat(summary.getPreviousVersion()).isEqualTo("default@1");
        assertThat(summary.getLeadsRescored()).isEqualTo(2);
        assertThat(summary.getLeadsLeftMql()).isEqualTo(2);
        // out of MQL, back to where its profile puts it: information qualified
        assertThat(client.getScore("lead-1").getStage()).isEqualTo(LeadStage.LEAD_STAGE_IQL);
        assertThat(client.getScore("lead-1").getModelVersion()).isEqualTo("default@2");
        assertThat(client.explainScore("lead-1", null).getScore().getStage()).isEqualTo(LeadStage.LEAD_STAGE_IQL);
        assertThat(models.getModel(GetModelRequest.newBuilder().setModelId("default").build()).getModel().getState())
                .isEqualTo(ModelState.MODEL_STATE_ACTIVE);

        List<RollbackModelResponse> rolledBack = drain(models.rollbackModel(RollbackModelRequest.getDefaultInstance()));
        PublishSummary back = rolledBack.get(rolledBack.size() - 1).getSummary();

        assertThat(back.getActiveVersion()).isEqualTo("default@1");
        assertThat(back.getLeadsBecameMql()).isEqualTo(2);
        assertThat(client.getScore("lead-2").getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
    }

    @Test
    void versionsAreImmutableAndUnknownOnesCannotBePublished() {
        models.createModel(CreateModelRequest.newBuilder().setDocument(STRICT).build());

        StatusRuntimeException again = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> models.createModel(CreateModelRequest.newBuilder().setDocument(STRICT).build()));
        StatusRuntimeException unknown = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> drain(models.publishModel(PublishModelRequest.newBuilder().setModelId("default").setVersion(9).build())));
        StatusRuntimeException noPrevious = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> drain(models.rollbackModel(RollbackModelRequest.getDefaultInstance())));

        assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(noPrevious.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void theActiveModelSurvivesARestart() {
        models.createModel(CreateModelRequest.newBuilder().setDocument(STRICT).build());
        drain(models.publishModel(PublishModelRequest.newBuilder().setModelId("default").setVersion(2).build()));

        stop();
        start();

        assertThat(models.listModels(ListModelsRequest.getDefaultInstance()).getModelsList())
                .filteredOn(m -> m.getState() == ModelState.MODEL_STATE_ACTIVE)
                .extracting(ModelInfo::getVersionName).containsExactly("default@2");
        client.registerLead(RegisterLeadRequest.newBuilder().setLeadId("late").build());
        assertThat(client.getScoreAt("late", null).getModelVersion()).isEqualTo("default@2");
    }
}
