package io.leadscore.server.scoring;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SharedStringsTest {

    /** A string equal to {@code value} that is certainly a different instance, as one read from the store is. */
    private static String fresh(String value) {
        return new String(value.toCharArray());
    }

    @Test
    void factsReadTwiceShareTheirRepeatingValues() {
        EngagementFact first = new EngagementFact("e1", fresh("page_view"), Instant.EPOCH, "s1", fresh("web"),
                                                  Map.of(fresh("page_category"), fresh("pricing")));
        EngagementFact second = new EngagementFact("e2", fresh("page_view"), Instant.EPOCH, "s1", fresh("web"),
                                                   Map.of(fresh("page_category"), fresh("pricing")));

        assertThat(second.type()).isSameAs(first.type()).isSameAs(EngagementTypes.PAGE_VIEW);
        assertThat(second.channel()).isSameAs(first.channel());
        Map.Entry<String, String> a = first.attributes().entrySet().iterator().next();
        Map.Entry<String, String> b = second.attributes().entrySet().iterator().next();
        assertThat(b.getKey()).isSameAs(a.getKey());
        assertThat(b.getValue()).isSameAs(a.getValue());
        assertThat(second).isNotEqualTo(first);
        assertThat(first.attribute("page_category")).isEqualTo("pricing");
    }

    @Test
    void profilesShareTheirValuesAndStayEqual() {
        FitProfile one = new FitProfile(fresh("VP Sales"), Seniority.VP, fresh("sales"), 500, fresh("software"), 0,
                                        fresh("DE"), List.of(fresh("salesforce")), List.of(fresh("funding")));
        FitProfile two = new FitProfile(fresh("VP Sales"), Seniority.VP, fresh("sales"), 500, fresh("software"), 0,
                                        fresh("DE"), List.of(fresh("salesforce")), List.of(fresh("funding")));

        assertThat(two).isEqualTo(one);
        assertThat(two.jobTitle()).isSameAs(one.jobTitle());
        assertThat(two.technologies().get(0)).isSameAs(one.technologies().get(0));
    }

    @Test
    void aLeadsEngagementsOfOneSessionShareTheSessionId() {
        io.leadscore.server.lead.LeadState lead = new io.leadscore.server.lead.LeadState();
        var model = io.leadscore.server.model.BuiltInModels.defaultModel();
        lead.apply(new io.leadscore.server.lead.api.LeadRegistered("lead-1", "a@acme.com", "acme.com", "Acme", "web",
                                                                   "", Instant.EPOCH), 0, model);
        for (int i = 1; i <= 3; i++) {
            lead.apply(new io.leadscore.server.lead.api.EngagementRecorded("lead-1", new EngagementFact(
                    "e" + i, "page_view", Instant.ofEpochSecond(i), fresh("session-" + (i % 2)), "web", Map.of())),
                       i, model);
        }

        List<EngagementFact> engagements = lead.facts().engagements();
        assertThat(engagements.get(2).sessionId()).isSameAs(engagements.get(0).sessionId()).isEqualTo("session-1");
        assertThat(engagements.get(1).sessionId()).isEqualTo("session-0");
    }

    @Test
    void longValuesAreNeverPooled() {
        String url = "https://example.com/" + "a".repeat(SharedStrings.MAX_LENGTH);

        assertThat(SharedStrings.of(fresh(url))).isNotSameAs(SharedStrings.of(fresh(url))).isEqualTo(url);
    }

    @Test
    void aFullPoolKeepsNewValuesAsTheyAreAndStillSharesTheOnesItHolds() {
        SharedStrings pool = new SharedStrings(EngagementTypes.KNOWN.size() + 1);
        String first = pool.share(fresh("first"));
        String late = fresh("late");

        assertThat(pool.share(late)).isSameAs(late);
        assertThat(pool.share(fresh("first"))).isSameAs(first);
        assertThat(pool.share(fresh("page_view"))).isSameAs(EngagementTypes.PAGE_VIEW);
    }
}
