package io.leadscore.server.readside;

import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.server.scoring.ScoreCeiling;
import io.leadscore.server.storage.EmbeddedMongoExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeadQueueTest {

    @RegisterExtension
    static final EmbeddedMongoExtension MONGO = new EmbeddedMongoExtension();
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final LeadQueue.Filter ALL = new LeadQueue.Filter(Set.of(), "", "", "");

    private LeadScoreStore store;
    private LeadQueue queue;

    /** A row scored after its last fact: 10 fit points, the rest engagement decaying with a 90-day half-life. */
    private static LeadSnapshot lead(String id, double total, LeadStage stage, int minutes, String channel) {
        Instant lastFact = T0.plusSeconds(60L * minutes);
        ScoreCeiling ceiling = new ScoreCeiling(lastFact, Double.NEGATIVE_INFINITY, 0, Math.max(0, total - 10), 90,
                                                0, Double.NEGATIVE_INFINITY, false, false);
        return new LeadSnapshot(id, new ScoreCard(10, total - 10, total, "default@1", stage == LeadStage.MQL,
                                                  total >= 30 ? "A" : "B", total >= 50 ? 1 : 2, "NONE", ceiling),
                                stage, lastFact, 3, null, channel, "acme.com", null);
    }

    /** The bands of these rows: grades A and B, level 1 from 40 engagement points, else 2. */
    private static final java.util.function.Supplier<io.leadscore.server.scoring.BandScale> BANDS =
            () -> new io.leadscore.server.scoring.BandScale() {
                @Override
                public int gradeRank(String grade) {
                    return List.of("A", "B").indexOf(grade.toUpperCase(java.util.Locale.ROOT));
                }

                @Override
                public int levelRank(int level) {
                    return level == 1 || level == 2 ? level - 1 : -1;
                }

                @Override
                public int levelRankOf(double engagement) {
                    return engagement >= 40 ? 0 : 1;
                }

                @Override
                public int lowestLevelRank() {
                    return 1;
                }
            };

    @BeforeEach
    void setUp() {
        MONGO.connection().database().drop();
        store = new LeadScoreStore(MONGO.connection().database());
        store.put(lead("a", 70, LeadStage.MQL, 1, "web"));
        store.put(lead("b", 20, LeadStage.LEAD, 5, "web"));
        store.put(lead("c", 70, LeadStage.MQL, 3, "email"));
        store.put(lead("d", 55, LeadStage.SQL, 2, "web"));
        store.put(lead("e", 5, LeadStage.LEAD, 4, "email"));
        queue = new LeadQueue(store, (row, asOf) -> row, BANDS,
                              java.time.Clock.fixed(T0.plusSeconds(3600), java.time.ZoneOffset.UTC));
    }

    private static List<String> ids(LeadQueue.Page page) {
        return page.leads().stream().map(LeadSnapshot::leadId).toList();
    }

    @Test
    void pagesWalkTheWholeQueueInScoreOrderOnce() {
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            LeadQueue.Page page = queue.page(ALL, LeadQueue.Order.SCORE, 2, token);
            assertThat(page.totalCount()).isEqualTo(5);
            seen.addAll(ids(page));
            token = page.nextPageToken();
            pages++;
        } while (!token.isEmpty());

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("a", "c", "d", "b", "e");
    }

    @Test
    void filtersAndRecencyOrder() {
        LeadQueue.Page mqls = queue.page(new LeadQueue.Filter(Set.of(LeadStage.MQL), "", "", ""),
                                         LeadQueue.Order.RECENCY, 10, "");
        LeadQueue.Page webA = queue.page(new LeadQueue.Filter(Set.of(), "a1", "web", ""), LeadQueue.Order.SCORE, 10, "");

        assertThat(ids(mqls)).containsExactly("c", "a");
        assertThat(ids(webA)).containsExactly("a", "d");
    }

    @Test
    void aTokenOnlyWorksForItsOwnQuery() {
        String token = queue.page(ALL, LeadQueue.Order.SCORE, 2, "").nextPageToken();

        assertThatThrownBy(() -> queue.page(ALL, LeadQueue.Order.RECENCY, 2, token))
                .isInstanceOf(LeadscoreException.class).hasMessageContaining("not a token of this query");
        assertThatThrownBy(() -> queue.page(ALL, LeadQueue.Order.SCORE, 2, "%%%"))
                .isInstanceOf(LeadscoreException.class);
    }

    /** A stored row whose score, as of any later time, is {@code current}: what decay made of it. */
    private static LeadSnapshot decayed(LeadSnapshot row, double current) {
        ScoreCard stored = row.score();
        ScoreCard now = new ScoreCard(stored.fit(), current - stored.fit(), current, stored.modelVersion(),
                                      current >= 50, current >= 30 ? "A" : "B", current >= 50 ? 1 : 2, "NONE",
                                      stored.ceiling());
        return new LeadSnapshot(row.leadId(), now, row.stage(), row.lastChangedAt(), row.version(), row.mqlAt(),
                                row.channel(), row.accountDomain(), row.slaBreachedAt());
    }

    private static LeadSnapshot mayRise(LeadSnapshot row) {
        ScoreCard s = row.score();
        return new LeadSnapshot(row.leadId(), new ScoreCard(s.fit(), s.engagement(), s.total(), s.modelVersion(),
                                                            s.qualifies(), s.fitGrade(), s.engagementLevel(),
                                                            s.demoIntent(), null),
                                row.stage(), row.lastChangedAt(), row.version(), row.mqlAt(), row.channel(),
                                row.accountDomain(), row.slaBreachedAt());
    }

    @Test
    void leadsRankByTheirScoreAtTheQueryTimeAndEachShowsThatScore() {
        MONGO.connection().database().drop();
        store = new LeadScoreStore(MONGO.connection().database());
        store.put(lead("stale", 70, LeadStage.MQL, 1, "web"));        // decayed to 20 since
        store.put(lead("steady", 60, LeadStage.MQL, 2, "web"));       // 55 now
        store.put(mayRise(lead("rising", 30, LeadStage.LEAD, 3, "web"))); // a penalty expired: 65 now
        java.util.Map<String, Double> now = java.util.Map.of("stale", 20.0, "steady", 55.0, "rising", 65.0);
        queue = new LeadQueue(store, (row, asOf) -> decayed(row, now.get(row.leadId())), BANDS,
                              java.time.Clock.fixed(T0.plusSeconds(86_400), java.time.ZoneOffset.UTC));

        List<LeadSnapshot> walked = new ArrayList<>();
        String token = "";
        do {
            LeadQueue.Page page = queue.page(ALL, LeadQueue.Order.SCORE, 1, token);
            assertThat(page.asOf()).isEqualTo(T0.plusSeconds(86_400));
            walked.addAll(page.leads());
            token = page.nextPageToken();
        } while (!token.isEmpty());
        LeadQueue.Page topBand = queue.page(new LeadQueue.Filter(Set.of(), "A1", "", ""), LeadQueue.Order.SCORE, 10, "");

        assertThat(walked).extracting(LeadSnapshot::leadId).containsExactly("rising", "steady", "stale");
        assertThat(walked).extracting(lead -> lead.score().total()).containsExactly(65.0, 55.0, 20.0);
        assertThat(ids(topBand)).containsExactly("rising", "steady");
        assertThat(topBand.totalCount()).isEqualTo(2);
    }

    @Test
    void leadsWhoseStoredScoreCannotReachThePageAreNotScored() {
        MONGO.connection().database().drop();
        store = new LeadScoreStore(MONGO.connection().database());
        for (int i = 0; i < 1000; i++) {
            store.put(lead("lead-" + i, i, LeadStage.LEAD, i % 60, "web"));
        }
        java.util.concurrent.atomic.AtomicInteger scored = new java.util.concurrent.atomic.AtomicInteger();
        queue = new LeadQueue(store, (row, asOf) -> {
            scored.incrementAndGet();
            return decayed(row, row.score().total() * 0.99);
        }, BANDS, java.time.Clock.fixed(T0.plusSeconds(86_400), java.time.ZoneOffset.UTC));

        LeadQueue.Page page = queue.page(ALL, LeadQueue.Order.SCORE, 5, "");

        assertThat(ids(page)).containsExactly("lead-999", "lead-998", "lead-997", "lead-996", "lead-995");
        assertThat(page.totalCount()).isEqualTo(1000);
        assertThat(scored.get()).isLessThan(20);
    }
}
