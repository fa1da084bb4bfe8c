package io.leadscore.server.analytics;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.client.imports.CsvMapping;
import io.leadscore.client.imports.CsvSource;
import io.leadscore.client.imports.ImportSource;
import io.leadscore.client.imports.ImportSummary;
import io.leadscore.client.imports.LeadImporter;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.RepositoryFiles;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.StageChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The documented CRM example imports, scores, and imports again without changing anything. */
class CsvImportEndToEndTest {

    private static final Path EXAMPLES = RepositoryFiles.find("ops/examples");

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(Instant.parse("2026-06-01T00:00:00Z"));

    private ImportSummary importExample() throws IOException {
        ImportSource source = new CsvSource(CsvMapping.read(EXAMPLES.resolve("crm-mapping.yaml")))
                .read(EXAMPLES.resolve("crm-export.csv"));
        return new LeadImporter(leadscore.client(), 4).run(source, () -> { });
    }

    @Test
    void theExampleImportsAndScores() throws IOException {
        ImportSummary summary = importExample();

        assertThat(summary.rejections()).isEmpty();
        assertThat(summary.changed()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> leadscore.server().internals().axon().projectionCaughtUp());
        var won = leadscore.client().getScore("hs-1001");
        assertThat(won.getStage()).isEqualTo(LeadStage.LEAD_STAGE_CUSTOMER);
        assertThat(won.getFitScore()).isPositive();
        assertThat(won.getEngagementScore()).isPositive();
        assertThat(leadscore.client().getScore("hs-1002").getStage()).isEqualTo(LeadStage.LEAD_STAGE_SQL);
        assertThat(leadscore.client().getScore("hs-1004").getStage()).isEqualTo(LeadStage.LEAD_STAGE_RECYCLED);
        // A personal address and a student title: excluded, whatever the engagement.
        assertThat(leadscore.client().getScore("hs-1003").getTotalScore()).isZero();
        assertThat(leadscore.scores()
                                   .getStageHistory(GetStageHistoryRequest.newBuilder().setLeadId("hs-1001").build())
                                   .getChangesList())
                .extracting(StageChange::getStage)
                .containsExactly(LeadStage.LEAD_STAGE_LEAD, LeadStage.LEAD_STAGE_IQL, LeadStage.LEAD_STAGE_MQL,
                                 LeadStage.LEAD_STAGE_CUSTOMER);
    }

    @Test
    void importingTwiceChangesNothing() throws IOException {
        importExample();
        long head = leadscore.server().internals().engine().headPosition();

        ImportSummary again = importExample();

        assertThat(again.changed()).isZero();
        assertThat(again.unchanged()).isEqualTo(5);
        assertThat(leadscore.server().internals().engine().headPosition()).isEqualTo(head);
    }

    @Test
    void badOutcomesAndSpendAreRefusedAndChangeNothing() throws IOException {
        importExample();
        long head = leadscore.server().internals().engine().headPosition();
        LeadscoreClient client = leadscore.client();

        assertRefused(() -> client.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId("hs-1005")
                                                         .setSource("crm").build()), "outcome");
        assertRefused(() -> client.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId("hs-1005")
                                                         .setOutcome(Outcome.OUTCOME_WON).setSource("crm").build()),
                      "occurred_at");
        assertRefused(() -> client.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId("hs-1005")
                                                         .setOutcome(Outcome.OUTCOME_WON).setSource("CRM!")
                                                         .setOccurredAt(ts("2026-05-01T00:00:00Z")).build()),
                      "source");
        assertThatThrownBy(() -> client.importOutcome(ImportOutcomeRequest.newBuilder().setLeadId("nobody")
                                                              .setOutcome(Outcome.OUTCOME_WON).setSource("crm")
                                                              .setOccurredAt(ts("2026-05-01T00:00:00Z")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        var analytics = AnalyticsServiceGrpc.newBlockingStub(leadscore.channel());
        RecordSpendRequest spend = RecordSpendRequest.newBuilder().setSpendId("s-1").setChannel("paid_search")
                .setPeriodStart(ts("2026-03-01T00:00:00Z")).setPeriodEnd(ts("2026-04-01T00:00:00Z"))
                .setAmount(500_00).setCurrency("EUR").build();
        assertRefused(() -> analytics.recordSpend(spend.toBuilder().setCurrency("euro").build()), "currency");
        assertRefused(() -> analytics.recordSpend(spend.toBuilder().setPeriodEnd(spend.getPeriodStart()).build()),
                      "period_end");
        assertRefused(() -> analytics.recordSpend(spend.toBuilder().setAmount(-1).build()), "amount");
        assertThat(leadscore.server().internals().engine().headPosition()).isEqualTo(head);

        analytics.recordSpend(spend);
        assertThatThrownBy(() -> analytics.recordSpend(spend.toBuilder().setAmount(600_00).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
    }

    private static void assertRefused(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith(field);
        });
    }

    private static com.google.protobuf.Timestamp ts(String instant) {
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(Instant.parse(instant).getEpochSecond()).build();
    }
}
