package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.ScoreLine;
import io.leadscore.v1.ScoreLineKind;
import io.leadscore.v1.ScorePart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A lead with a long history (more than 1,000 engagements) is explained rule by rule, one summed line each, so
 * ExplainScore stays small and quick however long the history grows; every engagement's line is there on request.
 */
class ExplainLongHistoryEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final int VISITS = 1_200;

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    private static double sum(ExplainScoreResponse explanation, ScorePart part) {
        return explanation.getLinesList().stream().filter(line -> line.getPart() == part)
                          .mapToDouble(ScoreLine::getPoints).sum();
    }

    @Test
    void aLongHistoryIsExplainedInSumsThatStillAddUpAndEveryLineIsThereOnRequest() {
        // Given a lead that viewed the pricing page 1,200 times over the last 50 days
        leadscore.client().registerLead(RegisterLeadRequest.newBuilder().setLeadId("bot").setEmail("bot@acme.com")
                                                           .setRegisteredAt(at(NOW.minusSeconds(90 * 86_400))).build());
        List<Engagement> visits = new ArrayList<>();
        for (int i = 0; i < VISITS; i++) {
            visits.add(Engagement.newBuilder().setLeadId("bot").setEventId("visit-" + i).setType("page_view")
                                 .setOccurredAt(at(NOW.minusSeconds(3_600L * (VISITS - i))))
                                 .putAttributes("page_category", "pricing").build());
        }
        long position = leadscore.client().streamEngagements(visits.iterator()).getPosition();
        leadscore.scores().getScore(io.leadscore.v1.GetScoreRequest.newBuilder().setLeadId("bot")
                                                                    .setMinPosition(position).build());

        // When its score is explained, in sums and line by line
        ExplainScoreResponse sums = leadscore.scores().explainScore(
                ExplainScoreRequest.newBuilder().setLeadId("bot").build());
        ExplainScoreResponse every = leadscore.scores().explainScore(
                ExplainScoreRequest.newBuilder().setLeadId("bot").setEveryEngagement(true).build());

        // Then the summed explanation has a line per rule, not per visit, adds up to the same score, and says so
        assertThat(sums.getSummarized()).isTrue();
        assertThat(sums.getLinesCount()).isLessThan(20);
        assertThat(sums.getLinesList()).anySatisfy(line -> {
            assertThat(line.getKind()).isEqualTo(ScoreLineKind.SCORE_LINE_KIND_ENGAGEMENT_SUMMARY);
            assertThat(line.getNote()).contains("engagements");
        });
        assertThat(sum(sums, ScorePart.SCORE_PART_ENGAGEMENT))
                .isCloseTo(sums.getScore().getEngagementScore(), within(1e-9));
        assertThat(sums.getScore().getEngagementScore())
                .isCloseTo(every.getScore().getEngagementScore(), within(1e-9));
        // and line by line, every visit has its own line
        assertThat(every.getSummarized()).isFalse();
        assertThat(every.getLinesList().stream()
                        .filter(line -> line.getKind() == ScoreLineKind.SCORE_LINE_KIND_ENGAGEMENT_RULE))
                .hasSize(VISITS);
        assertThat(sum(every, ScorePart.SCORE_PART_ENGAGEMENT))
                .isCloseTo(every.getScore().getEngagementScore(), within(1e-9));
    }
}
