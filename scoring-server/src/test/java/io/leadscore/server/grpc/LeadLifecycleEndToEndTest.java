package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.Bant;
import io.leadscore.v1.CloseWonRequest;
import io.leadscore.v1.DisqualifyLeadRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RecordOpportunityRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RejectLeadRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.StageChange;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.WatchLeadsRequest;
import io.leadscore.v1.WatchLeadsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.leadscore.server.StatusCodes.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sales handoff over gRPC: accept with BANT, reject and requalify, opportunities, refusals. */
class LeadLifecycleEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Bant BANT = Bant.newBuilder().setBudget("50k EUR").setAuthority("VP Sales")
                                         .setNeed("pipeline visibility").setTimeline("Q3").build();

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    private LeadscoreClient client() {
        return leadscore.client();
    }

    private LeadServiceGrpc.LeadServiceBlockingStub leads() {
        return leadscore.leads();
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    private LeadScore engage(String leadId, String eventId, String type, String category) {
        return engage(leadId, eventId, type, category, NOW.minusSeconds(60));
    }

    private LeadScore engage(String leadId, String eventId, String type, String category, Instant occurredAt) {
        Engagement.Builder engagement = Engagement.newBuilder().setLeadId(leadId).setEventId(eventId).setType(type)
                                                  .setOccurredAt(at(occurredAt));
        if (category != null) {
            engagement.putAttributes("page_category", category);
        }
        return client().recordEngagement(engagement.build()).getScore();
    }

    private LeadScore mql(String leadId) {
        client().registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.com")
                                                 .setRegisteredAt(at(NOW.minusSeconds(3600))).build());
        client().updateProfile(UpdateProfileRequest.newBuilder().setLeadId(leadId).setUpdatedAt(at(NOW.minusSeconds(600)))
                                                   .setProfile(Profile.newBuilder().setJobTitle("VP Sales")
                                                           .setSeniority(Seniority.SENIORITY_VP).setCompanySize(300)).build());
        engage(leadId, "p1", "page_view", "pricing");
        LeadScore score = engage(leadId, "d1", "demo_requested", null);
        assertThat(score.getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        return score;
    }

    @Test
    void anMqlIsAcceptedWithBantAndTheHistoryExplainsEachStep() {
        mql("lead-1");

        LeadScore accepted = leads().acceptLead(AcceptLeadRequest.newBuilder().setLeadId("lead-1").setActor("sam")
                                                                 .setBant(BANT).build()).getScore();
        LeadScore opportunity = leads().recordOpportunity(RecordOpportunityRequest.newBuilder().setLeadId("lead-1")
                .setActor("sam").setAmount(5_000_000).setCurrency("EUR").build()).getScore();
        LeadScore customer = leads().closeWon(CloseWonRequest.newBuilder().setLeadId("lead-1").setActor("sam")
                                                             .setAmount(4_800_000).setCurrency("EUR").build()).getScore();

        assertThat(accepted.getStage()).isEqualTo(LeadStage.LEAD_STAGE_SQL);
        assertThat(opportunity.getStage()).isEqualTo(LeadStage.LEAD_STAGE_OPPORTUNITY);
        assertThat(customer.getStage()).isEqualTo(LeadStage.LEAD_STAGE_CUSTOMER);
        assertThat(leadscore.scores().getStageHistory(GetStageHistoryRequest.newBuilder().setLeadId("lead-1").build())
                                     .getChangesList())
                .extracting(StageChange::getCause, StageChange::getStage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("registration", LeadStage.LEAD_STAGE_LEAD),
                        org.assertj.core.groups.Tuple.tuple("model", LeadStage.LEAD_STAGE_IQL),
                        org.assertj.core.groups.Tuple.tuple("model", LeadStage.LEAD_STAGE_MQL),
                        org.assertj.core.groups.Tuple.tuple("accept", LeadStage.LEAD_STAGE_SQL),
                        org.assertj.core.groups.Tuple.tuple("open_opportunity", LeadStage.LEAD_STAGE_OPPORTUNITY),
                        org.assertj.core.groups.Tuple.tuple("close_won", LeadStage.LEAD_STAGE_CUSTOMER));
    }

    @Test
    void theStageHistoryShowsTheBantAndAmountsSalesRecorded() {
        mql("lead-1");
        leads().acceptLead(AcceptLeadRequest.newBuilder().setLeadId("lead-1").setActor("sam").setBant(BANT).build());
        leads().recordOpportunity(RecordOpportunityRequest.newBuilder().setLeadId("lead-1").setActor("sam")
                                                          .setAmount(5_000_000).setCurrency("EUR").build());

        List<StageChange> history = leadscore.scores()
                .getStageHistory(GetStageHistoryRequest.newBuilder().setLeadId("lead-1").build()).getChangesList();

        StageChange accepted = history.get(history.size() - 2);
        StageChange opportunity = history.get(history.size() - 1);
        assertThat(accepted.getBant()).isEqualTo(BANT);
        assertThat(accepted.getPreviousStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        assertThat(opportunity.getAmount()).isEqualTo(5_000_000);
        assertThat(opportunity.getCurrency()).isEqualTo("EUR");
        assertThat(opportunity.hasBant()).isFalse();
    }

    /** Collects the alerts of one watch. */
    private static final class Watcher implements io.grpc.stub.StreamObserver<WatchLeadsResponse> {
        final java.util.concurrent.BlockingQueue<WatchLeadsResponse> alerts = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.concurrent.BlockingQueue<Long> receivedAt = new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public void onNext(WatchLeadsResponse alert) {
            receivedAt.add(System.nanoTime());
            alerts.add(alert);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }

        WatchLeadsResponse next() throws InterruptedException {
            WatchLeadsResponse alert = alerts.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(alert).as("an alert within 10 s").isNotNull();
            return alert;
        }
    }

    private io.grpc.Context.CancellableContext watch(WatchLeadsRequest request, Watcher watcher) {
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        context.run(() -> ScoreServiceGrpc.newStub(leadscore.channel()).watchLeads(request, watcher));
        return context;
    }

    @Test
    void aWatcherSeesTheMqlFastAndResumesWithoutGapsOrRepeats() throws Exception {
        Watcher first = new Watcher();
        io.grpc.Context.CancellableContext firstWatch = watch(
                WatchLeadsRequest.newBuilder().addStages(LeadStage.LEAD_STAGE_MQL).build(), first);
        Thread.sleep(300);

        mql("lead-1");
        long replied = System.nanoTime();
        WatchLeadsResponse qualified = first.next();
        double latencyMillis = (first.receivedAt.take() - replied) / 1e6;
        // The figure the README reports (bounded generously below: this is a test, not a benchmark).
        System.out.printf(java.util.Locale.ROOT, "WatchLeads alert %.1f ms after the command's reply%n", latencyMillis);

        assertThat(qualified.getLeadId()).isEqualTo("lead-1");
        assertThat(qualified.getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        assertThat(qualified.getCause()).isEqualTo("model");
        assertThat(latencyMillis).as("alert latency after the reply").isLessThan(1_000);
        firstWatch.cancel(null);

        leads().acceptLead(AcceptLeadRequest.newBuilder().setLeadId("lead-1").setActor("sam").setBant(BANT).build());
        leads().recordOpportunity(RecordOpportunityRequest.newBuilder().setLeadId("lead-1").setActor("sam").build());

        Watcher resumed = new Watcher();
        io.grpc.Context.CancellableContext secondWatch = watch(
                WatchLeadsRequest.newBuilder().setResumeToken(qualified.getResumeToken()).build(), resumed);
        assertThat(resumed.next().getCause()).isEqualTo("accept");
        assertThat(resumed.next().getCause()).isEqualTo("open_opportunity");
        Thread.sleep(300);
        assertThat(resumed.alerts).isEmpty();
        secondWatch.cancel(null);

        Watcher onlySql = new Watcher();
        io.grpc.Context.CancellableContext filtered = watch(WatchLeadsRequest.newBuilder()
                .setResumeToken(qualified.getResumeToken()).addStages(LeadStage.LEAD_STAGE_OPPORTUNITY).build(), onlySql);
        assertThat(onlySql.next().getStage()).isEqualTo(LeadStage.LEAD_STAGE_OPPORTUNITY);
        filtered.cancel(null);
    }

    @Test
    void anInteractiveDemoThatLiftsIntentToHighIsAnAlert() throws Exception {
        client().registerLead(RegisterLeadRequest.newBuilder().setLeadId("demo-1").setEmail("x@acme.com")
                                                 .setRegisteredAt(at(NOW.minusSeconds(3600))).build());
        Watcher watcher = new Watcher();
        io.grpc.Context.CancellableContext watch = watch(WatchLeadsRequest.getDefaultInstance(), watcher);
        Thread.sleep(300);

        client().recordEngagement(Engagement.newBuilder().setLeadId("demo-1").setEventId("glance").setType("interactive_demo")
                                            .setOccurredAt(at(NOW.minusSeconds(120))).putAttributes("seconds", "20").build());
        client().recordEngagement(Engagement.newBuilder().setLeadId("demo-1").setEventId("deep").setType("interactive_demo")
                                            .setSessionId("s2").setOccurredAt(at(NOW.minusSeconds(60)))
                                            .putAttributes("seconds", "240").putAttributes("completion_percent", "85")
                                            .putAttributes("cta_clicks", "1").build());

        WatchLeadsResponse alert = watcher.next();
        assertThat(alert.getKind()).isEqualTo(io.leadscore.v1.AlertKind.ALERT_KIND_INTENT_HIGH);
        assertThat(alert.getLeadId()).isEqualTo("demo-1");
        Thread.sleep(300);
        assertThat(watcher.alerts).isEmpty();
        watch.cancel(null);
    }

    @Test
    void anAccountRollsUpItsContactsAndTakesItsFitFromFirmographics() {
        for (String lead : java.util.List.of("g1", "g2")) {
            client().registerLead(RegisterLeadRequest.newBuilder().setLeadId(lead).setEmail(lead + "@globex.com")
                                                     .setAccountDomain("globex.com")
                                                     .setRegisteredAt(at(NOW.minusSeconds(3600))).build());
        }
        client().updateProfile(UpdateProfileRequest.newBuilder().setLeadId("g1").setUpdatedAt(at(NOW.minusSeconds(600)))
                                                   .setProfile(Profile.newBuilder().setJobTitle("VP Sales")
                                                           .setSeniority(Seniority.SENIORITY_VP).setCompanySize(300)).build());
        engage("g1", "p1", "page_view", "pricing");
        engage("g2", "d1", "demo_requested", null);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> client().getScore("g2").getVersion() >= 1 && client().getScore("g1").getVersion() >= 2);

        var account = leadscore.scores().getAccountScore(
                io.leadscore.v1.GetAccountScoreRequest.newBuilder().setAccountDomain("globex.com").build());

        assertThat(account.getContacts()).isEqualTo(2);
        assertThat(account.getRollup()).isEqualTo("max");
        assertThat(account.getEngagementScore()).isCloseTo(30, org.assertj.core.api.Assertions.within(0.01));
        assertThat(account.getFitScore()).isEqualTo(10);
        assertThat(account.getTopContactsList()).extracting(LeadScore::getLeadId).containsExactly("g1", "g2");
        assertThat(codeOf(() -> leadscore.scores().getAccountScore(
                io.leadscore.v1.GetAccountScoreRequest.newBuilder().setAccountDomain("nowhere.com").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void illegalTransitionsAreRefusedNamingTheStageAndChangeNothing() {
        LeadScore before = mql("lead-1");

        assertThatThrownBy(() -> leads().closeWon(CloseWonRequest.newBuilder().setLeadId("lead-1").setActor("sam").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("MQL");
                });
        assertThat(codeOf(() -> leads().acceptLead(AcceptLeadRequest.newBuilder().setLeadId("lead-1").setActor("sam").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(client().getScoreAt("lead-1", NOW).getVersion()).isEqualTo(before.getVersion());
    }

    @Test
    void aRejectedLeadRequalifiesOnlyOnEngagementEarnedAfterTheRejection() {
        mql("lead-1");

        LeadScore recycled = leads().rejectLead(RejectLeadRequest.newBuilder().setLeadId("lead-1").setActor("sam")
                .setReasonCode("bad_timing").setReason("budget next year").build()).getScore();
        // Reported after the rejection but done before it: counts in the score, cannot requalify the lead.
        LeadScore lateReport = engage("lead-1", "f0", "form_submitted", null, NOW.minusSeconds(30));
        // Earned after the rejection (which the fixed clock dates NOW): one form is not enough, a demo request is.
        LeadScore oneForm = engage("lead-1", "f1", "form_submitted", null, NOW);
        LeadScore demoAgain = engage("lead-1", "d2", "demo_requested", null, NOW.plusSeconds(10));

        assertThat(recycled.getStage()).isEqualTo(LeadStage.LEAD_STAGE_RECYCLED);
        assertThat(lateReport.getStage()).isEqualTo(LeadStage.LEAD_STAGE_RECYCLED);
        assertThat(oneForm.getStage()).isEqualTo(LeadStage.LEAD_STAGE_RECYCLED);
        assertThat(oneForm.getEngagementScore()).isGreaterThan(40);
        assertThat(demoAgain.getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
    }

    @Test
    void aReopenedLeadWhoseRuleHoldsQualifiesAtOnce() {
        mql("lead-1");
        leads().disqualifyLead(DisqualifyLeadRequest.newBuilder().setLeadId("lead-1").setActor("sam")
                                                    .setReasonCode("competitor").build());

        LeadScore whileDisqualified = engage("lead-1", "f2", "form_submitted", null);
        LeadScore reopened = leads().reopenLead(io.leadscore.v1.ReopenLeadRequest.newBuilder().setLeadId("lead-1")
                                                        .setActor("sam").setReason("new budget").build()).getScore();

        assertThat(whileDisqualified.getStage()).isEqualTo(LeadStage.LEAD_STAGE_DISQUALIFIED);
        assertThat(reopened.getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
        assertThat(leadscore.scores().getStageHistory(GetStageHistoryRequest.newBuilder().setLeadId("lead-1").build())
                                     .getChangesList())
                .extracting(StageChange::getCause, StageChange::getStage).endsWith(
                        org.assertj.core.groups.Tuple.tuple("disqualify", LeadStage.LEAD_STAGE_DISQUALIFIED),
                        org.assertj.core.groups.Tuple.tuple("reopen", LeadStage.LEAD_STAGE_LEAD),
                        org.assertj.core.groups.Tuple.tuple("model", LeadStage.LEAD_STAGE_IQL),
                        org.assertj.core.groups.Tuple.tuple("model", LeadStage.LEAD_STAGE_MQL));
    }
}
