package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.UpdateProfileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An MQL left unanswered past the model's 24-hour SLA gets a breach, also across a server restart. */
class SlaEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** A clock the test moves forward; time never passes by itself. */
    static final class TestClock extends Clock {
        private volatile Instant now = NOW;

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClock(clock);

    private LeadscoreClient client() {
        return leadscore.client();
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    @Test
    void anUnansweredMqlBreachesTheSlaAfterARestart() {
        client().registerLead(RegisterLeadRequest.newBuilder().setLeadId("lead-1").setEmail("a@acme.com")
                                                 .setRegisteredAt(at(NOW.minusSeconds(3600))).build());
        client().updateProfile(UpdateProfileRequest.newBuilder().setLeadId("lead-1").setUpdatedAt(at(NOW.minusSeconds(600)))
                                                   .setProfile(Profile.newBuilder().setJobTitle("VP Sales")
                                                           .setSeniority(Seniority.SENIORITY_VP).setCompanySize(300)).build());
        client().recordEngagement(Engagement.newBuilder().setLeadId("lead-1").setEventId("p").setType("page_view")
                                            .setOccurredAt(at(NOW.minusSeconds(60))).putAttributes("page_category", "pricing").build());
        var mql = client().recordEngagement(Engagement.newBuilder().setLeadId("lead-1").setEventId("d")
                                                      .setType("demo_requested").setOccurredAt(at(NOW.minusSeconds(60))).build())
                          .getScore();
        assertThat(mql.getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
               .until(() -> client().getScore("lead-1").getVersion() >= mql.getVersion());
        clock.advance(Duration.ofHours(23));
        // several sweeps run within the SLA: none may record a breach
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(client().getScore("lead-1").hasSlaBreachedAt()).isFalse();

        leadscore.stop();
        clock.advance(Duration.ofHours(2));
        leadscore.start();

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
               .until(() -> client().getScore("lead-1").hasSlaBreachedAt());
        assertThat(client().getScore("lead-1").getSlaBreachedAt()).isEqualTo(at(clock.instant()));
        assertThat(client().getScore("lead-1").getStage()).isEqualTo(LeadStage.LEAD_STAGE_MQL);
    }
}
