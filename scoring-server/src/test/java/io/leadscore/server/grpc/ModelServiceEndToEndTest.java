package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.StageChange;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static io.leadscore.server.StatusCodes.codeOf;
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
    /** The strict model, returning unanswered MQLs it does not qualify to nurture when published. */
    private static final String STRICT_REQUALIFYING = STRICT.replace("on_model_change: keep", "on_model_change: requalify");
    /** The default rules again, as version 3, qualifying at publish the leads they qualify. */
    private static final String DEFAULT_REQUALIFYING = BuiltInModels.defaultDocument()
            .replace("version: 1", "version: 3").replace("on_model_change: keep", "on_model_change: requalify");

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    private LeadscoreClient client() {
        return leadscore.client();
    }

    private ModelServiceGrpc.ModelServiceBlockingStub models() {
        return leadscore.models();
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    /** A VP who requested a demo and saw the pricing page: an MQL under the default model. */
    private LeadScore qualifiedLead(String leadId) {
        client().registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.com")
                                                 .setRegisteredAt(at(NOW.minusSeconds(3600))).build());
        client().updateProfile(UpdateProfileRequest.newBuilder().setLeadId(leadId).setUpdatedAt(at(NOW.minusSeconds(600)))
                                                   .setProfile(Profile.newBuilder().setJobTitle("VP Sales")
                                                           .setSeniority(Seniority.SENIORITY_VP).setCompanySize(300)).build());
        client().recordEngagement(Engagement.newBuilder().setLeadId(leadId).setEventId(leadId + "-p").setType("page_view")
                                            .setOccurredAt(at(NOW.minusSeconds(60))).putAttributes("page_category", "pricing").build());
        LeadScore score = client().recordEngagement(Engagement.newBuilder().setLeadId(leadId).setEventId(leadId + "-d")
                                                            .setType("demo_requested").setOccurredAt(at(NOW.minusSeconds(60))).build())
                                  .getScore();
        assertThat(score.getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client().getScore(leadId).getVersion() >= score.getVersion());
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

        ValidateModelResponse validation = models().validateModel(ValidateModelRequest.newBuilder()
                                                                          .setDocument(broken).build());
        StatusRuntimeException error = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> models().createModel(CreateModelRequest.newBuilder().setDocument(broken).build()));

        assertThat(validation.getValid()).isFalse();
        assertThat(validation.getProblemsList()).extracting(p -> p.getPath())
                                                .contains("fit.exclusions[1].regex", "engagement.rules[0].half_life_days");
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        BadRequest details = StatusProto.fromThrowable(error).getDetails(0).unpack(BadRequest.class);
        assertThat(details.getFieldViolationsList()).hasSize(validation.getProblemsCount());
        assertThat(models().listModels(ListModelsRequest.getDefaultInstance()).getModelsList())
                .extracting(ModelInfo::getVersionName).containsExactly("default@1");
    }

    private List<StageChange> history(String leadId) {
        return leadscore.scores().getStageHistory(GetStageHistoryRequest.newBuilder().setLeadId(leadId).build())
                                 .getChangesList();
    }

    private PublishSummary publish(String document) {
        ModelInfo draft = models().createModel(CreateModelRequest.newBuilder().setDocument(document).build()).getModel();
        List<PublishModelResponse> published = drain(models().publishModel(PublishModelRequest.newBuilder()
                .setModelId(draft.getModelId()).setVersion(draft.getVersion()).build()));
        return published.get(published.size() - 1).getSummary();
    }

    @Test
    void publishingAStricterModelRescoresLeadsButRewritesNoStageHistory() {
        qualifiedLead("lead-1");
        List<StageChange> before = history("lead-1");

        PublishSummary summary = publish(STRICT);

        assertThat(summary.getActiveVersion()).isEqualTo("default@2");
        assertThat(summary.getPreviousVersion()).isEqualTo("default@1");
        assertThat(summary.getLeadsRescored()).isEqualTo(1);
        assertThat(summary.getLeadsLeftMql()).isZero();
        assertThat(client().getScore("lead-1").getModelVersion()).isEqualTo("default@2");
        assertThat(client().getScore("lead-1").getMeetsMqlRule()).isFalse();
        // the strict model's lifecycle keeps stages: what sales was told stands
        assertThat(client().getScore("lead-1").getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        assertThat(history("lead-1")).isEqualTo(before);
        assertThat(before).extracting(StageChange::getStage)
                          .containsExactly(LeadStage.LEAD_STAGE_LEAD, LeadStage.LEAD_STAGE_IQL, LeadStage.LEAD_STAGE_MQL);
        assertThat(before).extracting(StageChange::getModelVersion).containsExactly("", "default@1", "default@1");
    }

    @Test
    void aRequalifyingModelRecordsEachStageItChangesAtPublishTimeAndRollingBackRecordsToo() {
        qualifiedLead("lead-1");
        qualifiedLead("lead-2");
        List<StageChange> before = history("lead-1");

        PublishSummary strict = publish(STRICT_REQUALIFYING);

        assertThat(strict.getLeadsLeftMql()).isEqualTo(2);
        assertThat(client().getScore("lead-1").getStage()).isEqualTo(LeadStage.LEAD_STAGE_IQL);
        assertThat(client().explainScore("lead-1", null).getScore().getStage()).isEqualTo(LeadStage.LEAD_STAGE_IQL);
        List<StageChange> afterStrict = history("lead-1");
        assertThat(afterStrict).startsWith(before.toArray(StageChange[]::new)).hasSize(before.size() + 1);
        StageChange demoted = afterStrict.get(before.size());
        assertThat(demoted.getCause()).isEqualTo("model_change");
        assertThat(demoted.getStage()).isEqualTo(LeadStage.LEAD_STAGE_IQL);
        assertThat(demoted.getAt()).isEqualTo(at(NOW));
        assertThat(demoted.getModelVersion()).isEqualTo("default@2");
        assertThat(demoted.getPreviousModelVersion()).isEqualTo("default@1");

        PublishSummary lenient = publish(DEFAULT_REQUALIFYING);

        assertThat(lenient.getLeadsBecameMql()).isEqualTo(2);
        assertThat(client().getScore("lead-2").getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        assertThat(client().getScore("lead-2").getMqlAt()).isEqualTo(at(NOW));
        assertThat(history("lead-1")).startsWith(afterStrict.toArray(StageChange[]::new))
                                     .last().extracting(StageChange::getCause, StageChange::getStage,
                                                        StageChange::getPreviousModelVersion)
                                     .containsExactly("model_change", LeadStage.LEAD_STAGE_MQL, "default@2");

        List<RollbackModelResponse> rolledBack = drain(models().rollbackModel(RollbackModelRequest.getDefaultInstance()));
        PublishSummary back = rolledBack.get(rolledBack.size() - 1).getSummary();

        assertThat(back.getActiveVersion()).isEqualTo("default@2");
        assertThat(back.getLeadsLeftMql()).isEqualTo(2);
        assertThat(history("lead-2")).hasSize(before.size() + 3).last()
                                     .extracting(StageChange::getCause, StageChange::getStage)
                                     .containsExactly("model_change", LeadStage.LEAD_STAGE_IQL);
    }

    @Test
    void rollbackGoesFurtherBackEachTimeOrToAnyVersionPublishedBefore() {
        publish(STRICT);
        publish(DEFAULT_REQUALIFYING);

        assertThat(drainSummary(models().rollbackModel(RollbackModelRequest.getDefaultInstance())).getActiveVersion())
                .isEqualTo("default@2");
        assertThat(drainSummary(models().rollbackModel(RollbackModelRequest.getDefaultInstance())).getActiveVersion())
                .isEqualTo("default@1");
        assertThat(codeOf(() -> drain(models().rollbackModel(RollbackModelRequest.getDefaultInstance()))))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);

        assertThat(drainSummary(models().rollbackModel(RollbackModelRequest.newBuilder().setModelId("default")
                                                                             .setVersion(3).build())).getActiveVersion())
                .isEqualTo("default@3");
        assertThat(codeOf(() -> drain(models().rollbackModel(RollbackModelRequest.newBuilder().setModelId("default")
                                                                                   .setVersion(9).build()))))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> drain(models().rollbackModel(RollbackModelRequest.newBuilder().setVersion(2).build()))))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        // the built-in default was published from the start: once replaced it is retired, not a draft
        assertThat(models().getModel(GetModelRequest.newBuilder().setModelId("default").setVersion(1).build())
                           .getModel().getState()).isEqualTo(ModelState.MODEL_STATE_RETIRED);
    }

    private static PublishSummary drainSummary(Iterator<RollbackModelResponse> stream) {
        List<RollbackModelResponse> messages = drain(stream);
        return messages.get(messages.size() - 1).getSummary();
    }

    @Test
    void versionsAreImmutableAndUnknownOnesCannotBePublished() {
        models().createModel(CreateModelRequest.newBuilder().setDocument(STRICT).build());

        StatusRuntimeException again = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> models().createModel(CreateModelRequest.newBuilder().setDocument(STRICT).build()));
        StatusRuntimeException unknown = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> drain(models().publishModel(PublishModelRequest.newBuilder().setModelId("default").setVersion(9).build())));
        StatusRuntimeException noPrevious = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> drain(models().rollbackModel(RollbackModelRequest.getDefaultInstance())));

        assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(noPrevious.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void theActiveModelSurvivesARestart() {
        models().createModel(CreateModelRequest.newBuilder().setDocument(STRICT).build());
        drain(models().publishModel(PublishModelRequest.newBuilder().setModelId("default").setVersion(2).build()));

        leadscore.restart();

        assertThat(models().listModels(ListModelsRequest.getDefaultInstance()).getModelsList())
                .filteredOn(m -> m.getState() == ModelState.MODEL_STATE_ACTIVE)
                .extracting(ModelInfo::getVersionName).containsExactly("default@2");
        client().registerLead(RegisterLeadRequest.newBuilder().setLeadId("late").build());
        assertThat(client().getScoreAt("late", null).getModelVersion()).isEqualTo("default@2");
    }
}
