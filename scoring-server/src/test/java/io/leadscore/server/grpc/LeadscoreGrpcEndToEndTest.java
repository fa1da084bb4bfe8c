package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustScoreResponse;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ScoreLineKind;
import io.leadscore.v1.EngagementOutcome;
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.v1.ScoreLine;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RecordEngagementResponse;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.StreamEngagementsResponse;
import io.leadscore.v1.UpdateProfileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The real services over gRPC (in-process transport) on the embedded store. */
class LeadscoreGrpcEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    private LeadscoreClient client() {
        return leadscore.client();
    }

    private void restart(boolean rebuild) {
        leadscore.restart(config -> config.withRebuildProjections(rebuild));
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private LeadScore register(String leadId) {
        return client().registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.com")
                                             .setAccountDomain("acme.com").setChannel("paid_search")
                                             .setRegisteredAt(at(NOW.minusSeconds(3600))).build()).getScore();
    }

    private static Engagement engagement(String leadId, String eventId, String type, Consumer<Engagement.Builder> more) {
        Engagement.Builder builder = Engagement.newBuilder().setLeadId(leadId).setEventId(eventId).setType(type)
                                               .setOccurredAt(at(NOW.minusSeconds(60)));
        more.accept(builder);
        return builder.build();
    }

    private static Engagement pricingVisit(String leadId, String eventId) {
        return engagement(leadId, eventId, "page_view", b -> b.putAttributes("page_category", "pricing"));
    }

    private LeadScore awaitProjected(String leadId, long version) {
        await().atMost(Duration.ofSeconds(10)).until(() -> scoreOrNull(leadId) != null
                                                          && scoreOrNull(leadId).getVersion() >= version);
        return client().getScore(leadId);
    }

    private LeadScore scoreOrNull(String leadId) {
        try {
            return client().getScore(leadId);
        } catch (StatusRuntimeException e) {
            return null;
        }
    }

    private static BadRequest.FieldViolation violation(StatusRuntimeException e) throws Exception {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        assertThat(status.getDetailsCount()).isEqualTo(1);
        return status.getDetails(0).unpack(BadRequest.class).getFieldViolations(0);
    }

    @Test
    void aPricingPageVisitRaisesTheEngagementScore() {
        LeadScore registered = register("lead-1");

        RecordEngagementResponse response = client().recordEngagement(pricingVisit("lead-1", "pv-1"));

        assertThat(response.getOutcome()).isEqualTo(EngagementOutcome.ENGAGEMENT_OUTCOME_ACCEPTED);
        assertThat(response.getScore().getEngagementScore()).isGreaterThan(registered.getEngagementScore());
        assertThat(response.getScore().getEngagementScore()).isEqualTo(10);
        LeadScore now = awaitProjected("lead-1", 1);
        assertThat(now.getAsOf()).isEqualTo(at(NOW));
        assertThat(now.getEngagementScore()).isEqualTo(10 * Math.pow(0.5, 60 / 86_400.0 / 90));
        Instant replyTime = Instant.ofEpochSecond(response.getScore().getAsOf().getSeconds(),
                                                  response.getScore().getAsOf().getNanos());
        assertThat(client().getScoreAt("lead-1", replyTime)).isEqualTo(response.getScore());
    }

    @Test
    void theSameEventIdAgainChangesNothing() {
        register("lead-1");
        RecordEngagementResponse first = client().recordEngagement(pricingVisit("lead-1", "pv-1"));

        RecordEngagementResponse again = client().recordEngagement(pricingVisit("lead-1", "pv-1"));

        assertThat(again.getOutcome()).isEqualTo(EngagementOutcome.ENGAGEMENT_OUTCOME_DUPLICATE);
        assertThat(again.getScore()).isEqualTo(first.getScore());
    }

    @Test
    void crossingTheThresholdMakesAnMql() {
        register("lead-1");
        client().updateProfile(UpdateProfileRequest.newBuilder().setLeadId("lead-1").setProfile(
                Profile.newBuilder().setJobTitle("VP Marketing").setSeniority(Seniority.SENIORITY_VP)
                       .setCompanySize(200)).build());
        client().recordEngagement(pricingVisit("lead-1", "pv-1"));

        LeadScore score = client().recordEngagement(engagement("lead-1", "demo-1", "demo_requested", b -> { }))
                                  .getScore();

        // scored as of the profile update (now); the engagements a minute earlier have decayed a hair
        assertThat(score.getTotalScore()).isCloseTo(65, org.assertj.core.api.Assertions.within(0.001));
        assertThat(score.getMatrix()).isEqualTo("B2");
        assertThat(score.getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        assertThat(score.hasMqlAt()).isTrue();
        assertThat(awaitProjected("lead-1", score.getVersion()).getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
    }

    @Test
    void anEngagementForAnUnknownLeadIsNotFound() {
        assertThatThrownBy(() -> client().recordEngagement(pricingVisit("ghost", "pv-1")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> client().getScore("ghost"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void registeringAgainWithOtherDetailsIsAlreadyExists() {
        register("lead-1");

        assertThatThrownBy(() -> client().registerLead(RegisterLeadRequest.newBuilder().setLeadId("lead-1")
                                                               .setEmail("other@acme.com").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
        assertThat(register("lead-1").getVersion()).isZero();
    }

    @Test
    void malformedEngagementsAreInvalidArgumentNamingTheFieldAndStoreNothing() throws Exception {
        register("lead-1");
        List<Engagement> malformed = new ArrayList<>();
        malformed.add(engagement("lead-1", "", "page_view", b -> { }));
        malformed.add(engagement("lead-1", "e1", "teleport", b -> { }));
        malformed.add(engagement("lead-1", "e2", "page_view", b -> b.setOccurredAt(at(NOW.plusSeconds(3600)))));
        malformed.add(engagement("lead-1", "e3", "page_view", b -> b.clearOccurredAt()));
        malformed.add(engagement("", "e4", "page_view", b -> { }));
        malformed.add(engagement("lead-1", "e5", "page_view", b -> {
            for (int i = 0; i < 40; i++) {
                b.putAttributes("k" + i, "v");
            }
        }));
        malformed.add(engagement("lead-1", "e6", "page_view", b -> b.putAttributes("note", "x".repeat(600))));
        malformed.add(engagement("lead-1", "e7", "page_view", b -> b.setOccurredAt(at(Instant.ofEpochSecond(5)))));
        List<String> expectedFields = List.of("engagement.event_id", "engagement.type", "engagement.occurred_at",
                                              "engagement.occurred_at", "engagement.lead_id", "engagement.attributes",
                                              "engagement.attributes[note]", "engagement.occurred_at");

        for (int i = 0; i < malformed.size(); i++) {
            Engagement bad = malformed.get(i);
            StatusRuntimeException error = org.junit.jupiter.api.Assertions.assertThrows(
                    StatusRuntimeException.class, () -> client().recordEngagement(bad));
            assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(violation(error).getField()).isEqualTo(expectedFields.get(i));
        }
        assertThat(leadscore.server().internals().engine().lastSequenceNumberFor("lead-1")).contains(0L);
    }

    @Test
    void aStreamReportsAcceptedDuplicateAndRejectedEngagements() {
        register("lead-1");
        register("lead-2");
        List<Engagement> stream = List.of(
                pricingVisit("lead-1", "a"),
                pricingVisit("lead-2", "b"),
                pricingVisit("lead-1", "a"),
                engagement("lead-1", "c", "nonsense", b -> { }),
                pricingVisit("ghost", "d"),
                engagement("lead-2", "e", "demo_requested", b -> { }));

        StreamEngagementsResponse summary = client().streamEngagements(stream.iterator());

        assertThat(summary.getAccepted()).isEqualTo(3);
        assertThat(summary.getDuplicates()).isEqualTo(1);
        assertThat(summary.getRejected()).isEqualTo(2);
        assertThat(summary.getRejectionsList()).extracting(r -> r.getIndex() + ":" + r.getCode())
                                               .containsExactlyInAnyOrder("3:INVALID_ARGUMENT", "4:NOT_FOUND");
        assertThat(summary.getScoresList()).extracting(LeadScore::getLeadId, LeadScore::getEngagementScore)
                                           .containsExactlyInAnyOrder(
                                                   org.assertj.core.groups.Tuple.tuple("lead-1", 10.0),
                                                   org.assertj.core.groups.Tuple.tuple("lead-2", 40.0));
    }

    @Test
    void aLargeStreamIsFlowControlledAndFullyStored() {
        register("lead-1");
        List<Engagement> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(engagement("lead-1", "m" + i, "email_opened", b -> { }));
        }

        StreamEngagementsResponse summary = client().streamEngagements(many.iterator());

        assertThat(summary.getAccepted()).isEqualTo(500);
        assertThat(leadscore.server().internals().engine().lastSequenceNumberFor("lead-1")).contains(500L);
    }

    @Test
    void aStreamStoresEachLeadsEngagementsInTheOrderTheyWereSent() {
        register("lead-1");
        register("lead-2");
        List<Engagement> interleaved = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            interleaved.add(engagement(i % 3 == 0 ? "lead-2" : "lead-1", "o" + i, "email_opened", b -> { }));
        }

        client().streamEngagements(interleaved.iterator());

        for (String lead : List.of("lead-1", "lead-2")) {
            List<String> sent = interleaved.stream().filter(e -> e.getLeadId().equals(lead))
                                           .map(Engagement::getEventId).toList();
            List<String> stored = new ArrayList<>();
            leadscore.server().internals().engine().readEvents(lead, 0).asStream()
                     .map(message -> message.getPayload())
                     .filter(io.leadscore.server.lead.api.EngagementRecorded.class::isInstance)
                     .map(e -> ((io.leadscore.server.lead.api.EngagementRecorded) e).engagement().eventId())
                     .forEach(stored::add);
            assertThat(stored).as("engagements of %s in the store", lead).isEqualTo(sent);
        }
    }

    @Test
    void aLongHistoryIsSnapshottedAndTheLeadStillLoadsAfterARestart() {
        register("lead-1");
        List<Engagement> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(engagement("lead-1", "m" + i, i % 2 == 0 ? "email_opened" : "page_view", b -> { }));
        }
        client().streamEngagements(many.iterator());
        await().atMost(Duration.ofSeconds(10))
               .until(() -> leadscore.server().internals().engine().readSnapshot("lead-1").isPresent());
        assertThat(leadscore.server().internals().engine().readSnapshot("lead-1").orElseThrow().getPayload())
                .isInstanceOf(io.leadscore.server.lead.Lead.class);

        restart(false);
        RecordEngagementResponse next = client().recordEngagement(pricingVisit("lead-1", "after-restart"));
        RecordEngagementResponse duplicate =
                client().recordEngagement(engagement("lead-1", "m7", "page_view", b -> { }));

        assertThat(next.getScore().getVersion()).isEqualTo(251);
        // passive touches (125 blog views, one open per day) are capped at 10 together; pricing adds 10
        assertThat(next.getScore().getEngagementScore()).isEqualTo(10 + 10);
        assertThat(duplicate.getOutcome()).isEqualTo(EngagementOutcome.ENGAGEMENT_OUTCOME_DUPLICATE);
    }

    @Test
    void batchGetScoresListsUnknownIds() {
        register("lead-1");
        awaitProjected("lead-1", 0);

        var response = client().batchGetScores(List.of("lead-1", "ghost"));

        assertThat(response.getScoresList()).extracting(LeadScore::getLeadId).containsExactly("lead-1");
        assertThat(response.getNotFoundLeadIdsList()).containsExactly("ghost");
    }

    @Test
    void scoresSurviveARestartAndEqualACleanReplay() {
        register("lead-1");
        register("lead-2");
        client().recordEngagement(pricingVisit("lead-1", "pv-1"));
        LeadScore last = client().recordEngagement(engagement("lead-2", "d-1", "demo_requested", b -> { })).getScore();
        LeadScore lead1 = awaitProjected("lead-1", 1);
        LeadScore lead2 = awaitProjected("lead-2", last.getVersion());

        restart(false);
        assertThat(client().getScore("lead-1")).isEqualTo(lead1);
        assertThat(client().getScore("lead-2")).isEqualTo(lead2);

        restart(true);
        assertThat(awaitProjected("lead-1", 1)).isEqualTo(lead1);
        assertThat(awaitProjected("lead-2", last.getVersion())).isEqualTo(lead2);
    }

    @Test
    void theExplanationAddsUpToTheScoreGetScoreReturns() {
        register("lead-1");
        client().updateProfile(UpdateProfileRequest.newBuilder().setLeadId("lead-1").setProfile(
                Profile.newBuilder().setJobTitle("VP Marketing").setSeniority(Seniority.SENIORITY_VP)
                       .setCompanySize(200)).setUpdatedAt(at(NOW.minus(Duration.ofDays(20)))).build());
        client().recordEngagement(engagement("lead-1", "p1", "page_view",
                                             b -> b.putAttributes("page_category", "pricing")
                                                   .setOccurredAt(at(NOW.minus(Duration.ofDays(10))))));
        client().recordEngagement(engagement("lead-1", "o1", "email_opened", b -> { }));
        LeadScore last = client().recordEngagement(engagement("lead-1", "d1", "demo_requested", b -> { })).getScore();
        LeadScore projected = awaitProjected("lead-1", last.getVersion());

        ExplainScoreResponse explanation = client().explainScore("lead-1", null);

        double fit = 0;
        double engagement = 0;
        double total = 0;
        for (ScoreLine line : explanation.getLinesList()) {
            switch (line.getPart()) {
                case SCORE_PART_FIT -> fit += line.getPoints();
                case SCORE_PART_ENGAGEMENT -> engagement += line.getPoints();
                default -> total += line.getPoints();
            }
        }
        assertThat(fit).isEqualTo(projected.getFitScore());
        assertThat(engagement).isEqualTo(projected.getEngagementScore());
        assertThat(fit + engagement + total).isEqualTo(projected.getTotalScore());
        assertThat(explanation.getScore().getTotalScore()).isEqualTo(projected.getTotalScore());
        assertThat(explanation.getLinesList()).extracting(ScoreLine::getRuleId)
                                              .contains("vp_title", "mid_market", "pricing_page", "demo_request",
                                                        "email_open", "role");
    }

    @Test
    void scoresAtOtherTimesFollowDecayAndHistory() {
        register("lead-1");
        client().recordEngagement(engagement("lead-1", "d1", "demo_requested", b -> { }));
        Instant demoTime = NOW.minusSeconds(60);

        LeadScore before = client().getScoreAt("lead-1", demoTime.minusSeconds(1));
        LeadScore atDemo = client().getScoreAt("lead-1", demoTime);
        LeadScore ninetyDaysLater = client().getScoreAt("lead-1", demoTime.plus(Duration.ofDays(90)));

        assertThat(before.getEngagementScore()).isZero();
        assertThat(atDemo.getEngagementScore()).isEqualTo(30);
        assertThat(ninetyDaysLater.getEngagementScore()).isCloseTo(15, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(client().getScoreAt("lead-1", null).getEngagementScore())
                .isCloseTo(30 * Math.pow(0.5, 60 / 86_400.0 / 90), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(ninetyDaysLater.getAsOf()).isEqualTo(at(demoTime.plus(Duration.ofDays(90))));
    }

    @Test
    void aManualAdjustmentCountsUntilItExpiresAndShowsWhoAndWhy() {
        register("lead-1");
        AdjustScoreRequest adjustment = AdjustScoreRequest.newBuilder()
                .setLeadId("lead-1").setAdjustmentId("adj-1").setPoints(25).setActor("sam.sales")
                .setReason("met at trade fair").setEffectiveAt(at(NOW.minusSeconds(30)))
                .setExpiresAt(at(NOW.plus(Duration.ofDays(7)))).build();

        AdjustScoreResponse first = client().adjustScore(adjustment);
        AdjustScoreResponse again = client().adjustScore(adjustment);

        assertThat(first.getScore().getEngagementScore()).isEqualTo(25);
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getScore()).isEqualTo(first.getScore());
        ExplainScoreResponse explanation = client().explainScore("lead-1", null);
        assertThat(explanation.getLinesList()).filteredOn(l -> l.getKind() == ScoreLineKind.SCORE_LINE_KIND_ADJUSTMENT)
                                              .singleElement()
                                              .satisfies(l -> assertThat(l.getNote()).contains("sam.sales", "trade fair"));
        assertThat(client().getScoreAt("lead-1", NOW.plus(Duration.ofDays(8))).getEngagementScore()).isZero();
        assertThatThrownBy(() -> client().adjustScore(adjustment.toBuilder().setAdjustmentId("adj-2").setPoints(0).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void historyQuestionsAboutUnknownLeadsOrTimesBeforeRegistrationFailCleanly() {
        register("lead-1");

        assertThatThrownBy(() -> client().explainScore("ghost", null))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> client().getScoreAt("lead-1", NOW.minus(Duration.ofDays(30))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> client().getScoreAt("lead-1", Instant.parse("1900-01-01T00:00:00Z")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void healthTurnsServingAndReflectionListsTheServices() throws Exception {
        ManagedChannel channel = leadscore.channel();
        await().atMost(Duration.ofSeconds(10)).until(() -> HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("leadscore.v1.LeadService").build())
                .getStatus() == HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        services.complete(response.getListServicesResponse().getServiceList().stream()
                                                  .map(s -> s.getName()).toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();

        assertThat(services.get(10, TimeUnit.SECONDS))
                .contains("leadscore.v1.LeadService", "leadscore.v1.ScoreService", "grpc.health.v1.Health");
    }
}
