package io.leadscore.server.model;

import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTypes;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.ScoreExplanation.Part;
import io.leadscore.server.scoring.Seniority;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of the scoring function on the shipped default model, over generated histories. */
class ScoringPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> TYPES = List.copyOf(new java.util.TreeSet<>(EngagementTypes.KNOWN));
    private static final RuleBasedModel MODEL = BuiltInModels.defaultModel();

    @Provide
    Arbitrary<LeadFacts> leads() {
        Arbitrary<EngagementFact> engagement = Combinators.combine(
                Arbitraries.of(TYPES),
                Arbitraries.integers().between(0, 200 * 24),
                Arbitraries.of("pricing", "blog", "product", ""),
                Arbitraries.integers().between(0, 100),
                Arbitraries.of("", "s1", "s2"),
                Arbitraries.strings().alpha().ofLength(6)
        ).as((type, hours, category, percent, session, id) -> new EngagementFact(
                id, type, T0.plus(Duration.ofHours(hours)), session, "",
                Map.of("page_category", category, "percent_watched", String.valueOf(percent), "asset", "guide")));
        Arbitrary<FitProfile> profile = Combinators.combine(
                Arbitraries.of("VP Sales", "CEO", "Engineer", "Student", ""),
                Arbitraries.of(Seniority.values()),
                Arbitraries.integers().between(0, 5000),
                Arbitraries.of(List.<String>of(), List.of("funding"), List.of("funding", "hiring", "tech_stack_change"))
        ).as((title, seniority, size, signals) -> new FitProfile(title, seniority, "", size, "", 0, "", List.of(),
                                                                  signals));
        return Combinators.combine(profile, Arbitraries.of("acme.com", "gmail.com"),
                                   engagement.list().ofMaxSize(60).uniqueElements(EngagementFact::eventId))
                          .as((p, domain, engagements) -> new LeadFacts(domain, "acme.com", p, engagements));
    }

    private static double sum(ScoreExplanation explanation, Part part) {
        double sum = 0;
        for (ScoreExplanation.Line line : explanation.lines()) {
            if (line.part() == part) {
                sum += line.points();
            }
        }
        return sum;
    }

    @Property(tries = 300)
    void explanationsAddUpExactly(@ForAll("leads") LeadFacts lead, @ForAll @IntRange(max = 400) int days) {
        ScoreExplanation explanation = MODEL.explain(lead, T0.plus(Duration.ofDays(days)));

        assertThat(sum(explanation, Part.FIT)).isEqualTo(explanation.card().fit());
        assertThat(sum(explanation, Part.ENGAGEMENT)).isEqualTo(explanation.card().engagement());
        assertThat(explanation.card().fit() + explanation.card().engagement() + sum(explanation, Part.TOTAL))
                .isEqualTo(explanation.card().total());
    }

    @Property(tries = 300)
    void theScoreAloneIsExactlyTheExplainedScore(@ForAll("leads") LeadFacts lead,
                                                 @ForAll @IntRange(max = 400) int days) {
        Instant asOf = T0.plus(Duration.ofDays(days));

        assertThat(MODEL.score(lead, asOf)).isEqualTo(MODEL.explain(lead, asOf).card());
    }

    @Property(tries = 300)
    void capsAndFloorsAreNeverExceeded(@ForAll("leads") LeadFacts lead, @ForAll @IntRange(max = 400) int days) {
        var card = MODEL.score(lead, T0.plus(Duration.ofDays(days)));

        assertThat(card.engagement()).isBetween(0.0, 100.0);
        assertThat(card.total()).isGreaterThanOrEqualTo(0.0);
    }

    @Property(tries = 200)
    void ingestionOrderNeverChangesTheResult(@ForAll("leads") LeadFacts lead, @ForAll long seed) {
        List<EngagementFact> shuffled = new ArrayList<>(lead.engagements());
        Collections.shuffle(shuffled, new Random(seed));
        Instant asOf = T0.plus(Duration.ofDays(250));

        assertThat(MODEL.explain(new LeadFacts(lead.emailDomain(), lead.accountDomain(), lead.profile(), shuffled), asOf))
                .isEqualTo(MODEL.explain(lead, asOf));
    }

    @Property(tries = 200)
    void scoringTheSameHistoryTwiceIsDeterministic(@ForAll("leads") LeadFacts lead) {
        Instant asOf = T0.plus(Duration.ofDays(300));

        assertThat(new RuleBasedModel(MODEL.definition()).explain(lead, asOf)).isEqualTo(MODEL.explain(lead, asOf));
    }

    @Property(tries = 200)
    void withoutNewEngagementsDecayOnlyLowersEngagement(@ForAll("leads") LeadFacts lead,
                                                        @ForAll @IntRange(min = 1, max = 300) int laterDays) {
        Instant lastEngagement = lead.engagements().stream().map(EngagementFact::occurredAt)
                                     .max(Instant::compareTo).orElse(T0);
        Instant earlier = lastEngagement.plus(Duration.ofDays(1));
        Instant later = earlier.plus(Duration.ofDays(laterDays));

        assertThat(MODEL.score(lead, later).engagement())
                .isLessThanOrEqualTo(MODEL.score(lead, earlier).engagement() + 1e-9);
    }

    /** Leads with manual adjustments too: bonuses and penalties, some expiring, to fit or engagement. */
    @Provide
    Arbitrary<LeadFacts> adjustedLeads() {
        Arbitrary<io.leadscore.server.scoring.ScoreAdjustment> adjustment = Combinators.combine(
                Arbitraries.strings().alpha().ofLength(5), Arbitraries.of(-15.0, -5.0, 5.0, 20.0),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, 400).injectNull(0.5)
        ).as((id, points, toFit, startDay, lastsDays) -> new io.leadscore.server.scoring.ScoreAdjustment(
                id, points, toFit, "sam", "because", T0.plus(Duration.ofDays(startDay)),
                lastsDays == null ? null : T0.plus(Duration.ofDays(startDay + 1L + lastsDays))));
        return Combinators.combine(leads(), adjustment.list().ofMaxSize(3).uniqueElements(a -> a.adjustmentId()))
                          .as((lead, adjustments) -> new LeadFacts(lead.emailDomain(), lead.accountDomain(),
                                                                   lead.profile(), lead.engagements(), adjustments,
                                                                   "", ""));
    }

    /** The default model, and one whose engagement never falls below 12 points and halves every week. */
    private static final List<RuleBasedModel> CEILING_MODELS = List.of(MODEL, new RuleBasedModel(
            io.leadscore.server.model.ModelParser.parse(BuiltInModels.defaultDocument()
                    .replace("version: 1", "version: 9").replace("  floor: 0", "  floor: 12")
                    .replace("half_life_days: 90", "half_life_days: 7"))));

    @Property(tries = 1000)
    void aCeilingBoundsTheScoreAtEveryLaterTimeWhileNoFactArrives(@ForAll("adjustedLeads") LeadFacts lead,
                                                                   @ForAll @IntRange(max = 800) int laterDays,
                                                                   @ForAll @IntRange(max = 1) int model) {
        RuleBasedModel scoring = CEILING_MODELS.get(model);
        Instant lastFact = java.util.stream.Stream.concat(
                lead.engagements().stream().map(EngagementFact::occurredAt),
                lead.adjustments().stream().map(io.leadscore.server.scoring.ScoreAdjustment::effectiveAt))
                .max(Instant::compareTo).orElse(T0);
        var scored = scoring.score(lead, lastFact);
        Instant later = lastFact.plus(Duration.ofDays(laterDays)).plus(Duration.ofHours(laterDays % 24));
        var now = scoring.score(lead, later);

        if (scored.ceiling() != null) {
            assertThat(now.total()).isLessThanOrEqualTo(scored.totalCeilingAt(later));
            assertThat(now.engagement()).isLessThanOrEqualTo(scored.engagementCeilingAt(later));
            assertThat(now.fit()).isLessThanOrEqualTo(scored.fit());
            if (!scored.ceiling().fitMayFall()) {
                assertThat(now.fit()).isEqualTo(scored.fit());
            }
        }
    }
}
