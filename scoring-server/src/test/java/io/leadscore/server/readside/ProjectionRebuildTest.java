package io.leadscore.server.readside;

import com.google.protobuf.Timestamp;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.LeadscoreServer;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustedPart;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.UpdateProfileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one-pass rebuild of the score projection gives every lead the row, and GetScore the answer, that the tracking
 * processor gave it event by event, on a history with profiles, engagements, adjustments, sales transitions and
 * imported outcomes; and the processor goes on from where the rebuild stopped.
 */
class ProjectionRebuildTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String[] TYPES = {"page_view", "content_download", "webinar_attended", "email_clicked",
                                           "demo_requested", "form_submitted", "trial_started"};

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    @Test
    void theRebuildEqualsTheEventByEventProjection() {
        LeadscoreServer server = leadscore.server();
        LeadServiceGrpc.LeadServiceBlockingStub leads = leadscore.leads();
        ScoreServiceGrpc.ScoreServiceBlockingStub scores = leadscore.scores();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 40; i++) {
            writeHistory(leads, "lead-" + i, random);
        }
        // The SLA sweep (every 100 ms here) records a breach for each overdue MQL: let it finish first, so
        // that the rows compared are of one settled history.
        await().atMost(Duration.ofSeconds(30)).until(() -> server.internals().axon().projectionCaughtUp()
                && server.internals().scores().all().values().stream().noneMatch(ProjectionRebuildTest::breachDue));
        Map<String, LeadSnapshot> before = server.internals().scores().all();
        Map<String, GetScoreResponse> answersBefore = answers(scores, before.keySet());
        assertThat(before).hasSize(40);
        assertThat(before.values()).anyMatch(row -> row.stage() == io.leadscore.server.lead.api.LeadStage.MQL)
                                   .anyMatch(row -> row.stage() == io.leadscore.server.lead.api.LeadStage.SQL)
                                   .anyMatch(row -> row.stage() == io.leadscore.server.lead.api.LeadStage.CUSTOMER);

        server.internals().axon().rebuildProjection();
        await().atMost(Duration.ofSeconds(30)).until(server.internals().axon()::projectionCaughtUp);

        Map<String, LeadSnapshot> after = server.internals().scores().all();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String leadId : before.keySet()) {
            assertThat(withoutVersion(after.get(leadId))).as(leadId).isEqualTo(withoutVersion(before.get(leadId)));
        }
        assertThat(answers(scores, before.keySet())).isEqualTo(answersBefore);

        // The processor resumes after the rebuild: a new engagement reaches the projection and GetScore.
        leads.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                engagement("lead-0", "after-rebuild", "demo_requested", NOW.minusSeconds(5))).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.internals().scores().find("lead-0").orElseThrow()
                                                                  .lastChangedAt().equals(NOW.minusSeconds(5)));
    }

    private static void writeHistory(LeadServiceGrpc.LeadServiceBlockingStub leads, String leadId,
                                     SplittableRandom random) {
        Instant registered = NOW.minus(Duration.ofDays(30 + random.nextInt(60)));
        leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.example")
                                              .setAccountDomain("acme.example").setChannel(random.nextBoolean()
                                                      ? "webinar" : "paid_search")
                                              .setRegisteredAt(ts(registered)).build());
        if (random.nextInt(3) > 0) {
            leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId(leadId).setUpdatedAt(ts(registered))
                                                    .setProfile(Profile.newBuilder().setJobTitle("VP Marketing")
                                                            .setSeniority(Seniority.SENIORITY_VP)
                                                            .setCompanySize(50 + random.nextInt(2000))).build());
        }
        int engagements = random.nextInt(12);
        for (int k = 0; k < engagements; k++) {
            Engagement.Builder engagement = engagement(leadId, leadId + "-e" + k, TYPES[random.nextInt(TYPES.length)],
                                                       registered.plus(Duration.ofHours(1 + random.nextInt(600))))
                    .toBuilder();
            if (engagement.getType().equals("page_view")) {
                engagement.putAttributes("page_category", random.nextBoolean() ? "pricing" : "blog");
            }
            leads.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(engagement).build());
        }
        if (random.nextInt(4) == 0) {
            leads.adjustScore(AdjustScoreRequest.newBuilder().setLeadId(leadId).setAdjustmentId(leadId + "-adj")
                                                .setPoints(15).setPart(AdjustedPart.ADJUSTED_PART_ENGAGEMENT)
                                                .setActor("sam").setReason("met at a fair")
                                                .setEffectiveAt(ts(registered.plus(Duration.ofDays(2)))).build());
        }
        // Recent enough that no MQL's 24-hour SLA runs out while the test compares rows.
        LeadStage stage = leads.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                engagement(leadId, leadId + "-last", "page_view", NOW.minus(Duration.ofHours(2))).toBuilder()
                        .putAttributes("page_category", "pricing")).build()).getScore().getStage();
        if (stage == LeadStage.LEAD_STAGE_MQL && random.nextBoolean()) {
            leads.acceptLead(AcceptLeadRequest.newBuilder().setLeadId(leadId).setActor("sam").setBant(
                    io.leadscore.v1.Bant.newBuilder().setBudget("50k").setAuthority("VP").setNeed("pipeline")
                                        .setTimeline("Q3")).build());
        } else if (random.nextInt(5) == 0) {
            leads.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId(leadId).setOutcome(Outcome.OUTCOME_WON)
                                                    .setOccurredAt(ts(NOW.minus(Duration.ofHours(12))))
                                                    .setAmount(500_000).setCurrency("EUR").setSource("crm").build());
        }
    }

    private static Map<String, GetScoreResponse> answers(ScoreServiceGrpc.ScoreServiceBlockingStub scores,
                                                         Iterable<String> leadIds) {
        Map<String, GetScoreResponse> answers = new HashMap<>();
        for (String leadId : leadIds) {
            GetScoreResponse answer = scores.getScore(GetScoreRequest.newBuilder().setLeadId(leadId).build());
            answers.put(leadId, answer.toBuilder().setScore(answer.getScore().toBuilder().clearVersion()).build());
        }
        return answers;
    }

    /** Versions count the qualification records too, which the rebuild derives instead of reading. */
    private static LeadSnapshot withoutVersion(LeadSnapshot row) {
        return new LeadSnapshot(row.leadId(), row.score(), row.stage(), row.lastChangedAt(), 0, row.mqlAt(),
                                row.channel(), row.accountDomain(), row.slaBreachedAt());
    }

    private static Engagement engagement(String leadId, String eventId, String type, Instant at) {
        return Engagement.newBuilder().setLeadId(leadId).setEventId(eventId).setType(type).setOccurredAt(ts(at))
                         .build();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** An MQL past the default model's 24-hour SLA whose breach is not recorded yet. */
    private static boolean breachDue(LeadSnapshot row) {
        return row.stage() == io.leadscore.server.lead.api.LeadStage.MQL && row.slaBreachedAt() == null
               && row.mqlAt() != null && !row.mqlAt().plus(Duration.ofHours(24)).isAfter(NOW);
    }
}
