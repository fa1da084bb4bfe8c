package io.leadscore.server.analytics;

import io.leadscore.client.imports.ImportSummary;
import io.leadscore.client.imports.LeadImporter;
import io.leadscore.client.imports.OlistSource;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.RepositoryFiles;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestReport;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.FunnelGroup;
import io.leadscore.v1.FunnelGrouping;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.GetFunnelReportResponse;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.ModelBacktest;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.RunBacktestResponse;
import io.leadscore.v1.StageConversion;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Olist marketing funnel, imported, reported and backtested through the API: the counts must be exactly
 * the ones anyone can recompute from the CSV files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OlistHistoryEndToEndTest {

    private static final Path OLIST = RepositoryFiles.find("shared/data/olist-marketing-funnel");
    private static final Path MODELS = RepositoryFiles.find("ops/models/olist");

    @RegisterExtension
    static final LeadscoreExtension LEADSCORE = LeadscoreExtension.withSystemClock()
                                                                  .withClientDeadline(Duration.ofSeconds(30));
    private ImportSummary firstImport;

    @BeforeAll
    void importTheFiles() throws IOException {
        firstImport = new LeadImporter(LEADSCORE.client(), 16).run(OlistSource.read(OLIST), () -> { });
    }

    @Test
    @Order(1)
    void everyLeadAndDealIsImported() {
        assertThat(firstImport.rejections()).isEmpty();
        assertThat(firstImport.rows()).isEqualTo(8_000 + 842);
        assertThat(firstImport.leads()).isEqualTo(8_000);
        assertThat(firstImport.changed()).isEqualTo(8_000);
    }

    @Test
    @Order(2)
    void theFunnelHasExactlyTheCountsOfTheFiles() throws IOException {
        GetFunnelReportResponse report = funnel(FunnelGrouping.FUNNEL_GROUPING_CHANNEL);

        assertThat(reached(report.getTotal(), LeadStage.LEAD_STAGE_LEAD)).isEqualTo(8_000);
        assertThat(reached(report.getTotal(), LeadStage.LEAD_STAGE_CUSTOMER)).isEqualTo(842);
        assertThat(conversion(report.getTotal(), LeadStage.LEAD_STAGE_LEAD, LeadStage.LEAD_STAGE_CUSTOMER).getRate())
                .isEqualTo(0.10525);
        Map<String, long[]> expected = countsByOrigin();
        assertThat(report.getGroupsList()).hasSize(expected.size());
        for (FunnelGroup group : report.getGroupsList()) {
            long[] counts = expected.get(group.getGroup());
            assertThat(new long[]{reached(group, LeadStage.LEAD_STAGE_LEAD),
                                  reached(group, LeadStage.LEAD_STAGE_CUSTOMER)})
                    .as("origin '%s'", group.getGroup()).containsExactly(counts);
        }
        assertThat(expected.get("organic_search")).containsExactly(2_296, 271);
        assertThat(expected.get("paid_search")).containsExactly(1_586, 195);
        assertThat(expected.get("social")).containsExactly(1_350, 75);
        assertThat(expected.get("email")).containsExactly(493, 15);
    }

    @Test
    @Order(3)
    void monthsAddUpToTheWholeAndSpendBecomesCostPerStage() {
        GetFunnelReportResponse byMonth = funnel(FunnelGrouping.FUNNEL_GROUPING_MONTH);
        assertThat(byMonth.getGroupsList().stream().mapToLong(g -> reached(g, LeadStage.LEAD_STAGE_LEAD)).sum())
                .isEqualTo(8_000);
        assertThat(byMonth.getGroupsList()).extracting(FunnelGroup::getGroup).contains("2017-06", "2018-05");

        AnalyticsServiceGrpc.AnalyticsServiceBlockingStub analytics =
                AnalyticsServiceGrpc.newBlockingStub(LEADSCORE.channel());
        RecordSpendRequest spend = RecordSpendRequest.newBuilder().setSpendId("paid-2018").setChannel("paid_search")
                .setPeriodStart(ts("2017-01-01T00:00:00Z")).setPeriodEnd(ts("2019-01-01T00:00:00Z"))
                .setAmount(1_586_000_00L).setCurrency("BRL").build();
        assertThat(analytics.recordSpend(spend).getAlreadyRecorded()).isFalse();
        assertThat(analytics.recordSpend(spend).getAlreadyRecorded()).isTrue();

        FunnelGroup paid = funnel(FunnelGrouping.FUNNEL_GROUPING_CHANNEL).getGroupsList().stream()
                .filter(g -> g.getGroup().equals("paid_search")).findFirst().orElseThrow();
        assertThat(paid.getSpend()).isEqualTo(1_586_000_00L);
        assertThat(paid.getCostPerLead()).isEqualTo(100_000);
        assertThat(paid.getCostPerMql()).isEqualTo(1_586_000_00.0 / reached(paid, LeadStage.LEAD_STAGE_MQL));
        assertThat(paid.getDiagnosis()).isNotEmpty();
    }

    @Test
    @Order(4)
    void twoModelsAreBacktestedSideBySideReproducibly() throws IOException {
        RunBacktestRequest request = RunBacktestRequest.newBuilder()
                .addCandidates(CandidateModel.newBuilder().setDocument(model("olist-mql.yaml")))
                .addCandidates(CandidateModel.newBuilder().setDocument(model("olist-by-channel.yaml")))
                .setFrom(ts("2017-01-01T00:00:00Z")).setTo(ts("2019-01-01T00:00:00Z"))
                .build();
        BacktestReport first = backtest(request);
        BacktestReport second = backtest(request);

        assertThat(first.getCohortLeads()).isEqualTo(8_000);
        assertThat(first.getActualWon()).isEqualTo(842);
        assertThat(first.getModelsList()).extracting(ModelBacktest::getModelVersion)
                .containsExactly("olist-mql@1", "olist-by-channel@1", "default@1");
        ModelBacktest everyone = first.getModels(0);
        // Every contact qualifies at first contact, except the one deal Olist dates before its first contact.
        assertThat(everyone.getMqls()).isEqualTo(7_999);
        assertThat(everyone.getWonPrediction().getRecall()).isEqualTo(841.0 / 842);
        ModelBacktest byChannel = first.getModels(1);
        assertThat(byChannel.getMqls()).isEqualTo(2_296 + 1_586 + 499 + 1_099 - 1);
        assertThat(byChannel.getMqlToWonRate()).isGreaterThan(everyone.getMqlToWonRate());
        assertThat(byChannel.getLiftOverBase()).isGreaterThan(1.1);
        assertThat(byChannel.getAucWon()).isGreaterThan(0.55);
        assertThat(byChannel.getThresholdSweepList()).isNotEmpty();
        assertThat(byChannel.getByChannelList()).hasSize(11);
        assertThat(byChannel.getByMonthList()).hasSize(12);
        assertThat(byChannel.getTimeToMql().getCount()).isEqualTo(byChannel.getMqls());
        assertThat(first.getModels(2).getActive()).isTrue();
        // The same window over the same history gives the same report, to the last figure (only timings differ).
        assertThat(second.toBuilder().clearRead().build()).isEqualTo(first.toBuilder().clearRead().build());
    }

    @Test
    @Order(5)
    void importingAgainChangesNothing() throws IOException {
        long headBefore = LEADSCORE.server().internals().engine().headPosition();

        ImportSummary again = new LeadImporter(LEADSCORE.client(), 16).run(OlistSource.read(OLIST), () -> { });

        assertThat(again.changed()).isZero();
        assertThat(again.unchanged()).isEqualTo(8_000);
        assertThat(again.writes()).isZero();
        assertThat(LEADSCORE.server().internals().engine().headPosition()).isEqualTo(headBefore);
    }

    private BacktestReport backtest(RunBacktestRequest request) {
        Iterator<RunBacktestResponse> responses = BacktestServiceGrpc.newBlockingStub(LEADSCORE.channel())
                                                                     .runBacktest(request);
        BacktestReport report = null;
        while (responses.hasNext()) {
            RunBacktestResponse response = responses.next();
            if (response.hasReport()) {
                report = response.getReport();
            }
        }
        assertThat(report).isNotNull();
        return report;
    }

    private GetFunnelReportResponse funnel(FunnelGrouping grouping) {
        return AnalyticsServiceGrpc.newBlockingStub(LEADSCORE.channel()).getFunnelReport(
                GetFunnelReportRequest.newBuilder().setGroupBy(grouping).build());
    }

    private static String model(String file) throws IOException {
        return Files.readString(MODELS.resolve(file), StandardCharsets.UTF_8);
    }

    private static long reached(FunnelGroup group, LeadStage stage) {
        return group.getStagesList().stream().filter(s -> s.getStage() == stage).findFirst().orElseThrow()
                    .getLeads();
    }

    private static StageConversion conversion(FunnelGroup group, LeadStage from, LeadStage to) {
        return group.getConversionsList().stream().filter(c -> c.getFrom() == from && c.getTo() == to)
                    .findFirst().orElseThrow();
    }

    private static com.google.protobuf.Timestamp ts(String instant) {
        return com.google.protobuf.Timestamp.newBuilder()
                                            .setSeconds(java.time.Instant.parse(instant).getEpochSecond()).build();
    }

    /** Leads and won deals per origin, counted straight from the CSV files. */
    private static Map<String, long[]> countsByOrigin() throws IOException {
        Map<String, String> origins = new HashMap<>();
        Map<String, long[]> counts = new HashMap<>();
        for (CSVRecord row : csv(OlistSource.LEADS_FILE)) {
            origins.put(row.get("mql_id"), row.get("origin"));
            counts.computeIfAbsent(row.get("origin"), k -> new long[2])[0]++;
        }
        Set<String> won = new HashSet<>();
        for (CSVRecord row : csv(OlistSource.DEALS_FILE)) {
            if (won.add(row.get("mql_id"))) {
                counts.get(origins.get(row.get("mql_id")))[1]++;
            }
        }
        return counts;
    }

    private static List<CSVRecord> csv(String file) throws IOException {
        try (CSVParser parser = CSVParser.builder().setReader(Files.newBufferedReader(OLIST.resolve(file)))
                .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            return new ArrayList<>(parser.getRecords());
        }
    }
}
