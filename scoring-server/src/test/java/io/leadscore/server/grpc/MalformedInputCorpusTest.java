package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.UpdateProfileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of malformed requests (wrong ids, unicode oddities, huge and non-finite values, ancient and future
 * times, unknown enum values, broken model documents): each gets a caller-error status, never INTERNAL or
 * UNKNOWN, and the store is exactly as it was.
 */
class MalformedInputCorpusTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Set<Status.Code> CALLER_ERRORS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
                                                                 Status.Code.FAILED_PRECONDITION,
                                                                 Status.Code.ALREADY_EXISTS);
    private static final List<String> ODD_STRINGS = List.of(
            "", " ", "a b", "x".repeat(129), "x".repeat(10_000), "lead\u0000nul", "\u202Eevil", "zero\u200Bwidth",
            "emoji-\uD83D\uDE00", "\uD800", "lead?query=1", "lead\nnewline", "ü-umlaut", "quote\"d", "tab\tbed");
    private static final List<Timestamp> ODD_TIMES = List.of(
            Timestamp.newBuilder().setSeconds(0).build(),
            Timestamp.newBuilder().setSeconds(-62_135_596_800L).build(),
            Timestamp.newBuilder().setSeconds(NOW.plusSeconds(3600).getEpochSecond()).build(),
            Timestamp.newBuilder().setSeconds(253_402_300_799L).build(),
            Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(-1).build(),
            Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(1_000_000_000).build(),
            Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build());

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    @Test
    void everyMalformedRequestGetsACallerErrorAndChangesNothing() {
        LeadServiceGrpc.LeadServiceBlockingStub leads = leadscore.leads();
        ModelServiceGrpc.ModelServiceBlockingStub models = leadscore.models();
        leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("ok").setEmail("a@acme.com")
                                              .setRegisteredAt(ts(NOW.minusSeconds(60))).build());
        long head = leadscore.server().internals().engine().headPosition();

        List<Supplier<Object>> corpus = corpus(leads, models, leadscore.scores(),
                                               AnalyticsServiceGrpc.newBlockingStub(leadscore.channel()),
                                               BacktestServiceGrpc.newBlockingStub(leadscore.channel()));
        Map<Status.Code, Integer> seen = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            try {
                corpus.get(i).get();
                wrong.add("#" + i + " was accepted");
            } catch (StatusRuntimeException e) {
                seen.merge(e.getStatus().getCode(), 1, Integer::sum);
                if (!CALLER_ERRORS.contains(e.getStatus().getCode())
                    || e.getStatus().getDescription() == null) {
                    wrong.add("#" + i + ": " + e.getStatus());
                }
            }
        }

        assertThat(wrong).as("requests without a clean caller error (statuses seen: %s)", seen).isEmpty();
        assertThat(leadscore.server().internals().engine().headPosition()).as("events stored by refused requests")
                                                                     .isEqualTo(head);
        assertThat(corpus).hasSizeGreaterThan(300);
        System.out.printf("malformed-input corpus: %d requests, every one refused: %s%n", corpus.size(), seen);
    }

    private static List<Supplier<Object>> corpus(LeadServiceGrpc.LeadServiceBlockingStub leads,
                                                 ModelServiceGrpc.ModelServiceBlockingStub models,
                                                 ScoreServiceGrpc.ScoreServiceBlockingStub scores,
                                                 AnalyticsServiceGrpc.AnalyticsServiceBlockingStub analytics,
                                                 BacktestServiceGrpc.BacktestServiceBlockingStub backtests) {
        List<Supplier<Object>> corpus = new ArrayList<>();
        Timestamp now = ts(NOW);
        for (String odd : ODD_STRINGS) {
            corpus.add(() -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId(odd).build()));
            corpus.add(() -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("r-" + corpus.size())
                                                                   .setEmail(odd.isEmpty() ? "@" : odd).build()));
            corpus.add(() -> leads.recordEngagement(engagement(odd, "ok", "page_view", now)));
            corpus.add(() -> leads.recordEngagement(engagement("e1", odd, "page_view", now)));
            corpus.add(() -> leads.recordEngagement(engagement("e1", "ok", odd, now)));
            corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ok")
                    .setProfile(Profile.newBuilder().setCountry(odd.isEmpty() ? "deu" : odd)).build()));
            corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ok")
                    .setProfile(Profile.newBuilder().addIntentSignals(odd)).build()));
            corpus.add(() -> leads.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId("ok")
                    .setOutcome(Outcome.OUTCOME_WON).setOccurredAt(now).setSource(odd).build()));
            corpus.add(() -> leads.adjustScore(adjustment("ok", 5).setActor(odd.isEmpty() ? "x".repeat(200) : odd)
                                                                  .setAdjustmentId(odd).build()));
            // Erasure: an odd lead id, or a real lead with an odd actor (so nothing may be erased).
            corpus.add(() -> leads.eraseLead(io.leadscore.v1.EraseLeadRequest.newBuilder().setLeadId(odd)
                                                                             .setActor("dpo").build()));
            corpus.add(() -> leads.eraseLead(io.leadscore.v1.EraseLeadRequest.newBuilder().setLeadId("ok")
                                                     .setActor(odd.isBlank() ? odd : "x".repeat(129) + odd).build()));
            corpus.add(() -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("n-" + corpus.size())
                                                                   .setName("y".repeat(257) + odd).build()));
            corpus.add(() -> models.createModel(CreateModelRequest.newBuilder().setDocument(odd).build()));
            // Long or odd text in free-text fields next to one that is certainly wrong (so nothing is stored).
            String longer = odd + "y".repeat(300);
            corpus.add(() -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("ok")
                                                                   .setAccountDomain(longer).build()));
            corpus.add(() -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("ok")
                                                                   .setChannel(longer).build()));
            corpus.add(() -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("ok")
                                                                   .setCampaign(longer).build()));
            corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ok")
                    .setProfile(Profile.newBuilder().setJobTitle(longer)).build()));
            corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ok")
                    .setProfile(Profile.newBuilder().setIndustry(longer)).build()));
            corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("nobody")
                    .setProfile(Profile.newBuilder().setDepartment(odd)).build()));
            corpus.add(() -> leads.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                    engagement("e-s", "ok", "page_view", now).getEngagement().toBuilder().setSessionId(longer))
                                                                           .build()));
        }
        for (Timestamp odd : ODD_TIMES) {
            corpus.add(() -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("t-" + corpus.size())
                                                                   .setRegisteredAt(odd).build()));
            corpus.add(() -> leads.recordEngagement(engagement("e-t", "ok", "page_view", odd)));
            corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ok")
                    .setProfile(Profile.getDefaultInstance()).setUpdatedAt(odd).build()));
            corpus.add(() -> leads.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId("ok")
                    .setOutcome(Outcome.OUTCOME_WON).setOccurredAt(odd).setSource("crm").build()));
            corpus.add(() -> leads.adjustScore(adjustment("ok", 5).setEffectiveAt(odd).build()));
        }
        // Queries may ask about any time, past or future, but not about a time no Timestamp can hold.
        for (Timestamp odd : ODD_TIMES.subList(4, ODD_TIMES.size())) {
            corpus.add(() -> scores.getScoreAt(GetScoreAtRequest.newBuilder().setLeadId("ok").setAsOf(odd).build()));
            corpus.add(() -> analytics.getFunnelReport(GetFunnelReportRequest.newBuilder().setFrom(odd).build()));
            corpus.add(() -> analytics.recordSpend(RecordSpendRequest.newBuilder().setSpendId("s").setChannel("c")
                    .setPeriodStart(odd).setPeriodEnd(now).setAmount(1).setCurrency("EUR").build()));
            corpus.add(() -> {
                var responses = backtests.runBacktest(RunBacktestRequest.newBuilder().addCandidates(
                        CandidateModel.newBuilder().setModelVersion("default@1")).setTo(odd).build());
                responses.forEachRemaining(r -> { });
                return responses;
            });
        }
        for (double odd : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300}) {
            corpus.add(() -> leads.adjustScore(adjustment("ok", odd).build()));
        }
        for (int value : new int[]{-1, 7, 99, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ok")
                    .setProfile(Profile.newBuilder().setSeniorityValue(value)).build()));
            corpus.add(() -> leads.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId("ok")
                    .setOutcomeValue(value).setOccurredAt(now).setSource("crm").build()));
            corpus.add(() -> leads.adjustScore(adjustment("ok", 5).setPartValue(value).build()));
        }
        for (int size : new int[]{-1, Integer.MIN_VALUE}) {
            corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ok")
                    .setProfile(Profile.newBuilder().setCompanySize(size)).build()));
        }
        corpus.add(() -> leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ok")
                .setProfile(Profile.newBuilder().setAnnualRevenueUsd(Long.MIN_VALUE)).build()));
        Engagement.Builder crowded = engagement("e-many", "ok", "page_view", now).getEngagement().toBuilder();
        for (int i = 0; i < 33; i++) {
            crowded.putAttributes("k" + i, "v");
        }
        corpus.add(() -> leads.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(crowded).build()));
        corpus.add(() -> leads.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                engagement("e-big", "ok", "page_view", now).getEngagement().toBuilder()
                                                           .putAttributes("k", "v".repeat(513))).build()));
        corpus.add(() -> leads.recordEngagement(RecordEngagementRequest.getDefaultInstance()));
        corpus.add(() -> leads.recordEngagement(engagement("e-unknown-lead", "nobody", "page_view", now)));
        for (String document : List.of("id: [unclosed", "{", "id: x\nversion: 1\n", "id: x\nversion: -1\nbands: 7",
                                       "version: 99999999999999999999", "!!binary AAAA", "- a\n- b",
                                       "id: x\nversion: 1\nfit: {rules: [{id: r, field: job_title, regex: '(', points: 1}]}",
                                       "id: x\nversion: 1\nengagement: {rules: [{id: r, type: page_view, points: 1e999}]}",
                                       "a: &a [*a, *a]", "\u0000", "id: " + "x".repeat(5_000))) {
            corpus.add(() -> models.createModel(CreateModelRequest.newBuilder().setDocument(document).build()));
        }
        return corpus;
    }

    private static RecordEngagementRequest engagement(String eventId, String leadId, String type, Timestamp at) {
        return RecordEngagementRequest.newBuilder().setEngagement(Engagement.newBuilder().setEventId(eventId)
                .setLeadId(leadId).setType(type).setOccurredAt(at)).build();
    }

    private static AdjustScoreRequest.Builder adjustment(String leadId, double points) {
        return AdjustScoreRequest.newBuilder().setLeadId(leadId).setAdjustmentId("adj").setPoints(points)
                                 .setActor("sam").setReason("why");
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }
}
