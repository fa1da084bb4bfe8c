package io.leadscore.server.projection;

import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.scoring.ScoreCard;
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

    private static LeadSnapshot lead(String id, double total, LeadStage stage, int minutes, String channel) {
        return new LeadSnapshot(id, new ScoreCard(10, total - 10, total, "default@1", stage == LeadStage.MQL,
                                                  total >= 30 ? "A" : "B", total >= 50 ? 1 : 2, "NONE"),
                                stage, T0.plusSeconds(60L * minutes), 3, null, channel, "acme.com", null);
    }

    @BeforeEach
    void setUp() {
        MONGO.connection().database().drop();
        store = new LeadScoreStore(MONGO.connection().database());
        store.put(lead("a", 70, LeadStage.MQL, 1, "web"));
        store.put(lead("b", 20, LeadStage.LEAD, 5, "web"));
        store.put(lead("c", 70, LeadStage.MQL, 3, "email"));
        store.put(lead("d", 55, LeadStage.SQL, 2, "web"));
        store.put(lead("e", 5, LeadStage.LEAD, 4, "email"));
        queue = new LeadQueue(store);
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
}
