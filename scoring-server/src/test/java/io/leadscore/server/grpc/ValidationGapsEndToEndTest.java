package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.leadscore.server.InProcessLeadscore;
import io.leadscore.server.LeadscoreExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetModelRequest;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.UpdateProfileRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Inputs that used to be accepted and now are refused with INVALID_ARGUMENT naming the field, through gRPC on the
 * real server, storing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationGapsEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    /** Two fit rules of 1e308 points: valid before bounds, an infinite total for a CEO. */
    private static final String OVERFLOWING_MODEL = """
            id: overflow
            version: 1
            fit:
              rules:
                - {id: ceo, field: job_title, regex: ceo, points: 1e308}
                - {id: chief, field: job_title, regex: chief, points: 1e308}
            bands:
              fit_grades: [{grade: A, min: 10}, {grade: B, min: 0}]
              engagement_levels: [{level: 1, min: 10}, {level: 2, min: 0}]
              mql: {any_of: [{total_at_least: 50}]}
            """;

    @RegisterExtension
    static final LeadscoreExtension LEADSCORE = LeadscoreExtension.withClockStoppedAt(NOW);
    private LeadServiceGrpc.LeadServiceBlockingStub leads;

    @BeforeAll
    void registerAChiefExecutive() {
        leads = LEADSCORE.leads().withDeadlineAfter(30, TimeUnit.SECONDS);
        leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("ceo").setAccountDomain("acme.com")
                                              .setRegisteredAt(ts(NOW.minus(Duration.ofDays(2)))).build());
        leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ceo").setUpdatedAt(ts(NOW.minusSeconds(60)))
                                                .setProfile(Profile.newBuilder().setJobTitle("Chief Executive, CEO"))
                                                .build());
    }

    @Test
    void anEmailWithALineBreakOrNulIsRefused() {
        refused("email", () -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("crlf")
                                                                     .setEmail("a@acme.com\r\nBcc: b@evil.io").build()));
        refused("email", () -> leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId("nul")
                                                                     .setEmail("a\u0000@acme.com").build()));
    }

    @Test
    void attributeKeysThatAreNotPlainNamesAreRefused() {
        for (String key : new String[] {"a\u0000b", "$where", "page.category"}) {
            refused("engagement.attributes", () -> leads.recordEngagement(engagement("k", key, "x")));
        }
    }

    @Test
    void attributeValuesThatAreNotFiniteNumbersAreRefused() {
        for (String value : new String[] {"NaN", "Infinity", "-Infinity", "1e999"}) {
            refused("engagement.attributes[seconds]",
                    () -> leads.recordEngagement(engagement("n", "seconds", value)));
        }
    }

    @Test
    void countriesAreIsoAlpha2AndTheMessageNamesTheCodeMeant() {
        assertThat(refused("profile.country", () -> country("XX"))).contains("'XX' is not an ISO 3166-1 alpha-2");
        assertThat(refused("profile.country", () -> country("DEU"))).contains("use the alpha-2 code DE");
        assertThat(refused("profile.country", () -> country("de"))).contains("must be upper case: DE");
    }

    @Test
    void currenciesAreIso4217InUpperCase() {
        assertThat(refused("currency", () -> outcome("XYZ"))).contains("'XYZ' is not an ISO 4217 currency code");
        assertThat(refused("currency", () -> outcome("eur"))).contains("must be upper case: EUR");
        refused("currency", () -> AnalyticsServiceGrpc.newBlockingStub(LEADSCORE.channel()).recordSpend(
                RecordSpendRequest.newBuilder().setSpendId("s-1").setChannel("paid").setAmount(100)
                                  .setCurrency("XYZ").setPeriodStart(ts(NOW.minus(Duration.ofDays(30))))
                                  .setPeriodEnd(ts(NOW)).build()));
    }

    @Test
    void aNegativeModelVersionIsRefused() {
        refused("version", () -> LEADSCORE.models().getModel(
                GetModelRequest.newBuilder().setModelId("default").setVersion(-1).build()));
    }

    @Test
    void aBacktestHorizonMustBeAValidDurationOfAtMostTenYears() {
        for (com.google.protobuf.Duration horizon : new com.google.protobuf.Duration[] {
                com.google.protobuf.Duration.newBuilder().setSeconds(-3600).build(),
                com.google.protobuf.Duration.newBuilder().setSeconds(Long.MIN_VALUE).setNanos(-1).build(),
                com.google.protobuf.Duration.newBuilder().setSeconds(Long.MAX_VALUE).build()}) {
            refused("score_horizon", () -> backtest(RunBacktestRequest.newBuilder().addCandidates(
                    CandidateModel.newBuilder().setModelVersion("default@1")).setScoreHorizon(horizon)));
        }
    }

    @Test
    void aModelWhosePointsCouldOverflowIsRefusedAndNeverBacktested() {
        refused("document.fit.rules[0].points", () -> LEADSCORE.models().createModel(
                CreateModelRequest.newBuilder().setDocument(OVERFLOWING_MODEL).build()));
        // Before bounds, this backtest ran out of memory in its threshold sweep and never answered.
        refused("candidates[0].document.fit.rules[1].points", () -> backtest(RunBacktestRequest.newBuilder()
                .addCandidates(CandidateModel.newBuilder().setDocument(OVERFLOWING_MODEL))
                .setFrom(ts(NOW.minus(Duration.ofDays(10)))).setTo(ts(NOW))));
    }

    private Object backtest(RunBacktestRequest.Builder request) {
        var responses = BacktestServiceGrpc.newBlockingStub(LEADSCORE.channel())
                                           .withDeadlineAfter(20, TimeUnit.SECONDS).runBacktest(request.build());
        responses.forEachRemaining(response -> { });
        return responses;
    }

    private Object country(String code) {
        return leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ceo")
                                                       .setProfile(Profile.newBuilder().setCountry(code)).build());
    }

    private Object outcome(String currency) {
        return leads.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId("ceo").setOutcome(Outcome.OUTCOME_WON)
                                                       .setOccurredAt(ts(NOW.minusSeconds(30))).setSource("crm")
                                                       .setAmount(100_00).setCurrency(currency).build());
    }

    private static RecordEngagementRequest engagement(String eventId, String key, String value) {
        return RecordEngagementRequest.newBuilder().setEngagement(Engagement.newBuilder().setEventId(eventId)
                .setLeadId("ceo").setType("interactive_demo").setOccurredAt(ts(NOW.minusSeconds(60)))
                .putAttributes(key, value)).build();
    }

    /** Asserts INVALID_ARGUMENT naming {@code field} in a BadRequest, nothing stored; returns the description. */
    private String refused(String field, Executable call) {
        long head = LEADSCORE.server().internals().engine().headPosition();
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call);
        assertThat(refused.getStatus().getCode()).as(refused.getStatus().toString())
                                                 .isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status details = StatusProto.fromThrowable(refused);
        assertThat(details).isNotNull();
        assertThat(details.getDetailsList()).anySatisfy(any -> assertThat(
                any.unpack(BadRequest.class).getFieldViolationsList()).anySatisfy(
                        violation -> assertThat(violation.getField()).isEqualTo(field)));
        assertThat(LEADSCORE.server().internals().engine().headPosition()).as("events stored by a refused request")
                                                                          .isEqualTo(head);
        return refused.getStatus().getDescription();
    }

    private static Timestamp ts(Instant instant) {
        return InProcessLeadscore.timestamp(instant);
    }
}
