package io.leadscore.server.backtest;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.BacktestReport;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.Classification;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.ModelBacktest;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.RunBacktestResponse;
import io.leadscore.v1.ThresholdPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A backtest on a history small enough to work out by hand: every count, rate, the AUC and the sweep are checked
 * against the numbers in the comments.
 */
class BacktestEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    /** Pricing interest is all that counts: one pricing visit makes an MQL. */
    private static final String PRICING_MODEL = """
            id: pricing-only
            version: 1
            engagement:
              rules:
                - {id: pricing, type: page_view, when: [{attribute: page_category, equals: pricing}], points: 30,
                   frequency: once}
            bands:
              fit_grades: [{grade: A, min: 0}]
              engagement_levels: [{level: 1, min: 30}, {level: 2, min: 0}]
              mql: {any_of: [{total_at_least: 30}]}
            """;

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    /**
     * won: pricing after 1 h, won after 10 days (a true positive); browser: pricing after 1 h, nothing else (a
     * false positive); quiet-sql: no pricing, SQL after 5 days (missed); silent: nothing (a true negative);
     * late: SQL after 3 days, pricing only after 20 days (an MQL after the fact predicts nothing: missed).
     */
    private void recordHistory() {
        register("won", "paid_search");
        pricing("won", T0.plus(Duration.ofHours(1)));
        outcome("won", Outcome.OUTCOME_WON, T0.plus(Duration.ofDays(10)));
        register("browser", "paid_search");
        pricing("browser", T0.plus(Duration.ofHours(1)));
        register("quiet-sql", "email");
        outcome("quiet-sql", Outcome.OUTCOME_SQL, T0.plus(Duration.ofDays(5)));
        register("silent", "email");
        register("late", "social");
        outcome("late", Outcome.OUTCOME_SQL, T0.plus(Duration.ofDays(3)));
        pricing("late", T0.plus(Duration.ofDays(20)));
    }

    @Test
    void everyFigureMatchesTheHandCount() {
        recordHistory();

        BacktestReport report = backtest(request().addThresholds(30).addThresholds(31)
                                                  .setScoreHorizon(com.google.protobuf.Duration.newBuilder()
                                                                                               .setSeconds(86_400)));

        assertThat(report.getCohortLeads()).isEqualTo(5);
        assertThat(report.getActualSqls()).isEqualTo(3);
        assertThat(report.getActualWon()).isEqualTo(1);
        ModelBacktest candidate = report.getModels(0);
        assertThat(candidate.getModelVersion()).isEqualTo("pricing-only@1");
        assertThat(candidate.getMqls()).isEqualTo(2);
        assertThat(candidate.getMqlsConvertedToSql()).isEqualTo(1);
        assertThat(candidate.getMqlsWon()).isEqualTo(1);
        assertThat(candidate.getMqlToSqlRate()).isEqualTo(0.5);
        assertClassification(candidate.getSqlPrediction(), 1, 1, 2, 1, 0.5, 1.0 / 3);
        assertClassification(candidate.getWonPrediction(), 1, 1, 0, 3, 0.5, 1.0);
        assertThat(candidate.getWonPrediction().getF1()).isCloseTo(2 * 0.5 * 1 / 1.5, within());
        // Scored a day after registration: won 30, browser 30, quiet-sql 0, silent 0, late 0. Positives for SQL
        // {30, 0, 0}, negatives {30, 0}: (0.5 + 1 + 0 + 0.5 + 0 + 0.5) / 6.
        assertThat(report.getAucLeads()).isEqualTo(5);
        assertThat(candidate.getAucSql()).isCloseTo(2.5 / 6, within());
        // For the win, positives {30}, negatives {30, 0, 0, 0}: (0.5 + 1 + 1 + 1) / 4.
        assertThat(candidate.getAucWon()).isCloseTo(3.5 / 4, within());
        // One win among five leads: a 20 % base rate; the MQLs win at 50 %.
        assertThat(candidate.getLiftOverBase()).isCloseTo(2.5, within());
        assertThat(candidate.getTimeToMql().getCount()).isEqualTo(2);
        assertThat(candidate.getTimeToMql().getP50().getSeconds()).isEqualTo(3_600);
        assertThat(candidate.getThresholdSweepList()).extracting(ThresholdPoint::getMqls).containsExactly(2L, 0L);
        assertThat(candidate.getThresholdSweep(0).getWonRecall()).isEqualTo(1.0);
        assertThat(candidate.getByChannelList()).extracting(s -> s.getSegment() + ":" + s.getLeads() + "/"
                                                                 + s.getMqls() + "/" + s.getWon())
                .containsExactly("email:2/0/0", "paid_search:2/2/1", "social:1/0/0");
        assertThat(candidate.getByMonthList()).extracting(s -> s.getSegment() + ":" + s.getLeads())
                .containsExactly("2026-03:5");

        ModelBacktest active = report.getModels(1);
        assertThat(active.getActive()).isTrue();
        assertThat(active.getModelVersion()).isEqualTo("default@1");
        assertThat(active.getMqls()).isZero();
        assertThat(candidate.getLiftOverActive()).isZero(); // undefined against a baseline without MQLs
    }

    @Test
    void aWindowKeepsLeadsAndFactsOutside() {
        recordHistory();
        register("april", "paid_search", T0.plus(Duration.ofDays(40)));
        pricing("april", T0.plus(Duration.ofDays(41)));

        BacktestReport march = backtest(request().setTo(ts(T0.plus(Duration.ofDays(31)))));
        BacktestReport all = backtest(request());

        assertThat(march.getCohortLeads()).isEqualTo(5);
        assertThat(all.getCohortLeads()).isEqualTo(6);
        assertThat(all.getModels(0).getMqls()).isEqualTo(3);
        // Facts after the window are not scored: half an hour in, nobody had looked at pricing yet.
        BacktestReport firstHalfHour = backtest(request().setTo(ts(T0.plus(Duration.ofMinutes(30)))));
        assertThat(firstHalfHour.getCohortLeads()).isEqualTo(5);
        assertThat(firstHalfHour.getModels(0).getMqls()).isZero();
        // ...while outcomes count whenever they happened.
        assertThat(firstHalfHour.getActualSqls()).isEqualTo(3);
    }

    @Test
    void liveScoresAreUntouched() {
        recordHistory();
        await().atMost(Duration.ofSeconds(10)).until(() -> leadscore.server().internals().axon().projectionCaughtUp());
        var before = leadscore.client().getScore("browser");

        backtest(request());

        assertThat(leadscore.client().getScore("browser")).isEqualTo(before);
        assertThat(before.getModelVersion()).isEqualTo("default@1");
    }

    @Test
    void badRequestsAreRefusedWithTheField() {
        BacktestServiceGrpc.BacktestServiceBlockingStub stub = BacktestServiceGrpc.newBlockingStub(leadscore.channel());
        assertRefused(() -> drain(stub.runBacktest(RunBacktestRequest.getDefaultInstance())),
                      Status.Code.INVALID_ARGUMENT, "candidates");
        assertRefused(() -> drain(stub.runBacktest(RunBacktestRequest.newBuilder().addCandidates(
                              CandidateModel.newBuilder().setModelVersion("nope@3")).build())),
                      Status.Code.NOT_FOUND, "nope@3");
        assertRefused(() -> drain(stub.runBacktest(RunBacktestRequest.newBuilder().addCandidates(
                              CandidateModel.newBuilder().setDocument("id: x\nversion: 0\n")).build())),
                      Status.Code.INVALID_ARGUMENT, "candidates[0].document");
        assertRefused(() -> drain(stub.runBacktest(request().setFrom(ts(NOW)).setTo(ts(T0)).build())),
                      Status.Code.INVALID_ARGUMENT, "to");
    }

    private static void assertRefused(Runnable call, Status.Code code, String mention) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(mention);
        });
    }

    private static void assertClassification(Classification c, long tp, long fp, long fn, long tn,
                                             double precision, double recall) {
        assertThat(List.of(c.getTruePositives(), c.getFalsePositives(), c.getFalseNegatives(),
                           c.getTrueNegatives())).containsExactly(tp, fp, fn, tn);
        assertThat(c.getPrecision()).isCloseTo(precision, within());
        assertThat(c.getRecall()).isCloseTo(recall, within());
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    private RunBacktestRequest.Builder request() {
        return RunBacktestRequest.newBuilder().addCandidates(CandidateModel.newBuilder().setDocument(PRICING_MODEL));
    }

    private BacktestReport backtest(RunBacktestRequest.Builder request) {
        List<RunBacktestResponse> responses = drain(BacktestServiceGrpc.newBlockingStub(leadscore.channel())
                                                                       .runBacktest(request.build()));
        RunBacktestResponse last = responses.get(responses.size() - 1);
        assertThat(last.hasReport()).isTrue();
        return last.getReport();
    }

    private static List<RunBacktestResponse> drain(Iterator<RunBacktestResponse> responses) {
        List<RunBacktestResponse> all = new ArrayList<>();
        responses.forEachRemaining(all::add);
        return all;
    }

    private void register(String leadId, String channel) {
        register(leadId, channel, T0);
    }

    private void register(String leadId, String channelName, Instant at) {
        leadscore.client().registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setChannel(channelName)
                                                           .setRegisteredAt(ts(at)).build());
    }

    private void pricing(String leadId, Instant at) {
        leadscore.client().recordEngagement(Engagement.newBuilder().setLeadId(leadId).setEventId(leadId + "-pricing")
                                                      .setType("page_view").putAttributes("page_category", "pricing")
                                                      .setOccurredAt(ts(at)).build());
    }

    private void outcome(String leadId, Outcome outcome, Instant at) {
        leadscore.client().importOutcome(ImportOutcomeRequest.newBuilder().setLeadId(leadId).setOutcome(outcome)
                                                             .setOccurredAt(ts(at)).setSource("crm").build());
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }
}
