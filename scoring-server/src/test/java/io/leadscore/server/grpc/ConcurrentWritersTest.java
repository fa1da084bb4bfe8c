package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.EngagementOutcome;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.RegisterLeadRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hundred callers writing to one lead at the same moment: every write is stored once, none is lost or applied
 * twice, and the lead ends exactly where applying the same events one by one takes it.
 */
class ConcurrentWritersTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String[] TYPES = {"page_view", "content_download", "webinar_registered", "email_clicked",
                                           "video_watched", "form_submitted", "demo_requested", "cart_added"};

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW)
                                                           .withClientDeadline(Duration.ofSeconds(30));

    @Test
    void aHundredConcurrentWritersOnOneLeadEqualTheSequentialFold() throws Exception {
        LeadscoreClient client = leadscore.client();
        Instant registeredAt = NOW.minus(Duration.ofDays(10));
        client.registerLead(RegisterLeadRequest.newBuilder().setLeadId("hot").setEmail("a@acme.com")
                                               .setAccountDomain("acme.com")
                                               .setRegisteredAt(ts(registeredAt)).build());
        List<Engagement> engagements = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Engagement.Builder engagement = Engagement.newBuilder().setLeadId("hot").setEventId("e" + i)
                    .setType(TYPES[i % TYPES.length]).setOccurredAt(ts(registeredAt.plusSeconds(60L * i)));
            if (i % 3 == 0) {
                engagement.setType("page_view").putAttributes("page_category", "pricing");
            }
            engagements.add(engagement.build());
        }
        ExecutorService callers = Executors.newFixedThreadPool(100);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<EngagementOutcome>> outcomes = new ArrayList<>();
        for (Engagement engagement : engagements) {
            outcomes.add(callers.submit(() -> {
                start.await();
                return client.recordEngagement(engagement).getOutcome();
            }));
        }
        start.countDown();
        for (Future<EngagementOutcome> outcome : outcomes) {
            assertThat(outcome.get()).isEqualTo(EngagementOutcome.ENGAGEMENT_OUTCOME_ACCEPTED);
        }
        callers.shutdown();

        List<EngagementFact> facts = engagements.stream().map(LeadMessages::toFact).toList();
        Instant last = registeredAt.plusSeconds(60L * 99);
        ScoreCard sequential = BuiltInModels.defaultModel().score(
                new LeadFacts("acme.com", "acme.com", FitProfile.EMPTY, facts), last);
        LeadScore concurrent = client.getScoreAt("hot", last);
        assertThat(concurrent.getTotalScore()).isEqualTo(sequential.total());
        assertThat(concurrent.getEngagementScore()).isEqualTo(sequential.engagement());
        // Registration and 100 engagements at least (then the MQL record and, with this fixed clock ten
        // days on, the SLA breach the sweep records).
        assertThat(concurrent.getVersion()).isGreaterThanOrEqualTo(100);
        assertThat(concurrent.getMeetsMqlRule()).isEqualTo(sequential.qualifies());
        // Every engagement once: sending them all again changes nothing.
        for (Engagement engagement : engagements) {
            assertThat(client.recordEngagement(engagement).getOutcome())
                    .isEqualTo(EngagementOutcome.ENGAGEMENT_OUTCOME_DUPLICATE);
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }
}
