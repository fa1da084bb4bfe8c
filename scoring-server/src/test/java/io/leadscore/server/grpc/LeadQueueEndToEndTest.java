package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.InProcessLeadscore;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.ListLeadsResponse;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.UpdateProfileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A queue shows every lead as GetScore shows it at the time of the call: decayed engagement ranks and bands lower
 * than the score stored after the lead's last fact (seen: a queue said 30 / D2 where GetScore said 14.97 / D3).
 */
class LeadQueueEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    private static Timestamp at(Instant instant) {
        return InProcessLeadscore.timestamp(instant);
    }

    /** A lead whose demo request and pricing visits happened {@code daysAgo} days before now. */
    private LeadScore engagedLead(String leadId, int daysAgo, int pricingVisits) {
        Instant then = NOW.minus(Duration.ofDays(daysAgo));
        LeadscoreClient client = leadscore.client();
        client.registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.com")
                                               .setRegisteredAt(at(then.minusSeconds(60))).build());
        client.updateProfile(UpdateProfileRequest.newBuilder().setLeadId(leadId).setUpdatedAt(at(then))
                                                 .setProfile(Profile.newBuilder().setJobTitle("Manager")
                                                         .setSeniority(Seniority.SENIORITY_MANAGER)).build());
        LeadScore last = null;
        for (int i = 0; i < pricingVisits; i++) {
            last = client.recordEngagement(Engagement.newBuilder().setLeadId(leadId).setEventId(leadId + "-p" + i)
                    .setType("page_view").setOccurredAt(at(then.plusSeconds(i))).putAttributes("page_category", "pricing")
                    .build()).getScore();
        }
        return last;
    }

    @Test
    void everyLeadOfEveryPageHasTheOrderScoreAndBandGetScoreGivesAtTheTimeOfTheCall() {
        // as stored after their last facts, old-30 ties mid-30 and leads the recent ones; a year of decay since
        // leaves it last
        LeadScore stored = engagedLead("old-30", 365, 3);
        LeadScore recent = engagedLead("recent-20", 1, 2);
        engagedLead("recent-10", 2, 1);
        engagedLead("mid-30", 60, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> leadscore.scores()
                .listLeads(ListLeadsRequest.getDefaultInstance()).getTotalCount() == 4);

        List<LeadScore> walked = new ArrayList<>();
        String token = "";
        do {
            ListLeadsResponse page = leadscore.scores()
                    .listLeads(ListLeadsRequest.newBuilder().setPageSize(1).setPageToken(token).build());
            walked.addAll(page.getLeadsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());

        assertThat(stored.getTotalScore()).isGreaterThan(recent.getTotalScore());
        assertThat(walked).extracting(LeadScore::getLeadId).containsExactly("mid-30", "recent-20", "recent-10", "old-30");
        for (LeadScore queued : walked) {
            LeadScore now = leadscore.client().getScore(queued.getLeadId());
            assertThat(queued.getTotalScore()).as(queued.getLeadId()).isEqualTo(now.getTotalScore());
            assertThat(queued.getMatrix()).as(queued.getLeadId()).isEqualTo(now.getMatrix());
            assertThat(queued.getAsOf()).isEqualTo(at(NOW));
        }
        assertThat(walked.get(3).getEngagementScore()).isLessThan(10);
    }
}
