package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.AttributePredicate;
import io.leadscore.server.model.ModelDefinition.CombinationPattern;
import io.leadscore.server.model.ModelDefinition.CountPattern;
import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.model.ModelDefinition.EventMatcher;
import io.leadscore.server.model.ModelDefinition.Frequency;
import io.leadscore.server.model.ModelDefinition.Group;
import io.leadscore.server.model.ModelDefinition.Pattern;
import io.leadscore.server.model.ModelDefinition.Requirement;
import io.leadscore.server.model.ModelDefinition.SequencePattern;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTally;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreAdjustment;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.server.scoring.ScoreExplanation.Part;
import io.leadscore.server.scoring.ScoreExplanation.Line;
import io.leadscore.server.scoring.ScoreExplanation.Kind;
import io.leadscore.server.scoring.ScoreExplanation;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The running tally scores every lead as the full fold does, for random models (every frequency, windows, decay,
 * negative points, nested and highest-only groups, section caps and floors, all three kinds of pattern) and random
 * histories with adjustments, at the time of the last fact and at any later time.
 *
 * <p>The bound: fit, engagement and total agree within {@value #RELATIVE} times (1 + the largest magnitude of the
 * scores, at least 200); demo intent and whether the score may rise agree exactly, and so do grades, levels and MQL
 * unless a score lies within that bound of a band's edge. The tally adds each rule's points as one running sum
 * instead of line by line, so the two differ by rounding only: over 30,000 generated cases the largest difference
 * seen was 7.6e-14 times (1 + |engagement|).
 */
class TallyMatchesFoldPropertyTest {

    private static final double RELATIVE = 1e-11;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> TYPES = List.of("page_view", "email_opened", "content_download",
                                                      "webinar_registered", "form_submitted", "video_watched",
                                                      "interactive_demo");
    private static final RuleBasedModel BASE = BuiltInModels.defaultModel();
    private static final List<String> GROUPS = List.of("g1", "g2", "g3");

    @Property(tries = 1500)
    void theTallyScoresAsTheFoldDoes(@ForAll("models") RuleBasedModel model, @ForAll("histories") LeadFacts lead,
                                     @ForAll @IntRange(max = 4000) int hoursAfter) {
        EngagementTally tally = model.newTally();
        lead.engagements().stream().sorted(EngagementTally.TIME_ORDER).forEach(e -> assertThat(tally.add(e)).isTrue());
        Instant lastFact = tally.latest() == null ? T0 : tally.latest();
        for (Instant asOf : List.of(lastFact, lastFact.plus(Duration.ofHours(hoursAfter)).plusMillis(hoursAfter))) {
            ScoreCard fold = model.score(lead, asOf);
            ScoreCard tallied = model.score(lead, tally, asOf);

            double scale = 1 + Math.max(Math.abs(fold.fit()), Math.max(Math.abs(fold.engagement()), 200));
            assertThat(tallied.fit()).isCloseTo(fold.fit(), within(RELATIVE * scale));
            assertThat(tallied.engagement()).as("%s", model.definition().engagement()).isCloseTo(fold.engagement(), within(RELATIVE * scale));
            assertThat(tallied.total()).isCloseTo(fold.total(), within(RELATIVE * scale));
            if (!onABandEdge(model, fold, RELATIVE * scale)) {
                assertThat(tallied.fitGrade()).isEqualTo(fold.fitGrade());
                assertThat(tallied.engagementLevel()).isEqualTo(fold.engagementLevel());
                assertThat(tallied.qualifies()).isEqualTo(fold.qualifies());
            }
            assertThat(tallied.demoIntent()).isEqualTo(fold.demoIntent());
            assertThat(tallied.mayRise()).as("may rise").isEqualTo(fold.mayRise());
            if (fold.ceiling() != null) {
                assertThat(tallied.ceiling().steadyEngagement())
                        .isCloseTo(fold.ceiling().steadyEngagement(), within(RELATIVE * scale));
                assertThat(tallied.ceiling().decayingEngagement())
                        .isCloseTo(fold.ceiling().decayingEngagement(), within(RELATIVE * scale));
                assertThat(tallied.ceiling().longestHalfLife()).isEqualTo(fold.ceiling().longestHalfLife());
                assertThat(tallied.ceiling().engagementBonus()).isEqualTo(fold.ceiling().engagementBonus());
            }
        }
    }

    /**
     * A long history is explained in sums: one line per rule and pattern from the tally. Its card is the tally's
     * score, its lines add up to it part by part, and each rule's line holds what the fold's lines of that rule
     * hold together.
     */
    @Property(tries = 500)
    void anExplanationInSumsAddsUpToTheScoreAndToTheFoldsLinesRuleByRule(
            @ForAll("models") RuleBasedModel model, @ForAll("histories") LeadFacts lead,
            @ForAll @IntRange(max = 4000) int hoursAfter) {
        EngagementTally tally = model.newTally();
        lead.engagements().stream().sorted(EngagementTally.TIME_ORDER).forEach(tally::add);
        Instant asOf = (tally.latest() == null ? T0 : tally.latest()).plus(Duration.ofHours(hoursAfter));

        ScoreExplanation sums = model.explainInSums(lead, tally, asOf);
        ScoreExplanation fold = model.explain(lead, asOf);

        ScoreCard tallied = model.score(lead, tally, asOf);
        double scale = 1 + Math.max(Math.abs(fold.card().fit()), Math.max(Math.abs(fold.card().engagement()), 200));
        assertThat(sums.card().total()).isEqualTo(tallied.total());
        assertThat(partSum(sums, Part.FIT)).isCloseTo(sums.card().fit(), within(RELATIVE * scale));
        assertThat(partSum(sums, Part.ENGAGEMENT)).isCloseTo(sums.card().engagement(), within(RELATIVE * scale));
        assertThat(sums.card().fit() + sums.card().engagement() + partSum(sums, Part.TOTAL))
                .isCloseTo(sums.card().total(), within(RELATIVE * scale));
        java.util.Map<String, Double> foldByRule = byRule(fold, Kind.ENGAGEMENT_RULE);
        java.util.Map<String, Double> sumsByRule = byRule(sums, Kind.ENGAGEMENT_SUMMARY);
        java.util.Set<String> rules = new java.util.HashSet<>(foldByRule.keySet());
        rules.addAll(sumsByRule.keySet());
        rules.forEach(rule -> assertThat(sumsByRule.getOrDefault(rule, 0.0)).as("rule %s", rule)
                .isCloseTo(foldByRule.getOrDefault(rule, 0.0), within(RELATIVE * scale)));
        assertThat(sums.lines()).noneMatch(line -> line.kind() == Kind.ENGAGEMENT_RULE);
    }

    private static double partSum(ScoreExplanation explanation, Part part) {
        return explanation.lines().stream().filter(line -> line.part() == part).mapToDouble(Line::points).sum();
    }

    private static java.util.Map<String, Double> byRule(ScoreExplanation explanation, Kind kind) {
        java.util.Map<String, Double> sums = new java.util.HashMap<>();
        explanation.lines().stream().filter(line -> line.kind() == kind)
                   .forEach(line -> sums.merge(line.ruleId(), line.points(), Double::sum));
        return sums;
    }

    @Property(tries = 500)
    void engagementsArrivingOutOfOrderScoreAsIfTheyHadArrivedInOrder(@ForAll("models") RuleBasedModel model,
                                                                     @ForAll("histories") LeadFacts lead,
                                                                     @ForAll long seed) {
        // Sent at once, they arrive jumbled: each a few places, now and then far, from where time puts it.
        List<EngagementFact> arriving = new ArrayList<>(lead.engagements().stream()
                                                            .sorted(EngagementTally.TIME_ORDER).toList());
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < arriving.size(); i++) {
            int j = Math.min(arriving.size() - 1, i + random.nextInt(random.nextInt(10) == 0 ? 100 : 4));
            java.util.Collections.swap(arriving, i, j);
        }
        EngagementTally tally = model.newTally();
        List<EngagementFact> added = new ArrayList<>();
        for (EngagementFact engagement : arriving) {
            added.add(engagement);
            if (!tally.add(engagement)) {
                tally = model.newTally(); // from before the checkpoint: the owner tallies them all again
                added.stream().sorted(EngagementTally.TIME_ORDER).forEach(tally::add);
            }
        }
        Instant asOf = tally.latest() == null ? T0 : tally.latest().plus(Duration.ofDays(3));

        ScoreCard fold = model.score(lead, asOf);
        ScoreCard tallied = model.score(lead, tally, asOf);

        double scale = 1 + Math.max(Math.abs(fold.fit()), Math.max(Math.abs(fold.engagement()), 200));
        assertThat(tally.size()).isEqualTo(lead.engagements().size());
        assertThat(tallied.total()).isCloseTo(fold.total(), within(RELATIVE * scale));
        assertThat(tallied.engagement()).isCloseTo(fold.engagement(), within(RELATIVE * scale));
        assertThat(tallied.mayRise()).isEqualTo(fold.mayRise());
    }

    @Property(tries = 100)
    void anEngagementFromBeforeTheCheckpointIsRefusedAndChangesNothing(@ForAll("models") RuleBasedModel model) {
        EngagementTally tally = model.newTally();
        List<EngagementFact> inOrder = new ArrayList<>();
        for (int i = 1; i <= 3 * RuleTally.CHECKPOINT_EVERY; i++) {
            inOrder.add(new EngagementFact("e" + i, TYPES.get(i % TYPES.size()), T0.plus(Duration.ofHours(i)), "",
                                           "", Map.of("page_category", "pricing")));
        }
        inOrder.forEach(tally::add);
        LeadFacts lead = new LeadFacts("acme.com", "acme.com", FitProfile.EMPTY, inOrder);
        Instant asOf = T0.plus(Duration.ofDays(30));
        ScoreCard before = model.score(lead, tally, asOf);

        boolean added = tally.add(new EngagementFact("e0", "page_view", T0, "", "", Map.of()));

        assertThat(added).isFalse();
        assertThat(tally.size()).isEqualTo(inOrder.size());
        assertThat(model.score(lead, tally, asOf)).isEqualTo(before);
    }

    @net.jqwik.api.Example
    void checkpointsAreStillTakenAfterAnEarlyEngagementFilledTheRun() {
        // Given 63 engagements in order, one a little early (the 64th since the checkpoint), then 200 more in order
        RuleBasedModel model = BASE;
        EngagementTally tally = model.newTally();
        for (int i = 1; i <= 63; i++) {
            tally.add(at(i * 10));
        }
        tally.add(at(625));
        for (int i = 64; i <= 263; i++) {
            tally.add(at(i * 10));
        }

        // When an engagement from long before the latest arrives
        boolean added = tally.add(at(1_000));

        // Then it is refused (it is before the last checkpoint): checkpoints went on being taken
        assertThat(added).isFalse();
    }

    private static EngagementFact at(int minutes) {
        return new EngagementFact("m" + minutes, "page_view", T0.plus(Duration.ofMinutes(minutes)), "", "",
                                  Map.of("page_category", "pricing"));
    }

    /**
     * Whether a score lies within rounding of a band's edge: there the two may round to either side (a cap of 40
     * clips engagement to 40 or to the double just below it), and no one can say which side is right.
     */
    private static boolean onABandEdge(RuleBasedModel model, ScoreCard card, double tolerance) {
        ModelDefinition.Bands bands = model.definition().bands();
        List<Double> fitEdges = new ArrayList<>();
        List<Double> engagementEdges = new ArrayList<>();
        List<Double> totalEdges = new ArrayList<>();
        bands.fitGrades().forEach(grade -> fitEdges.add(grade.min()));
        bands.engagementLevels().forEach(level -> engagementEdges.add(level.min()));
        for (ModelDefinition.MqlCondition condition : bands.mqlAnyOf()) {
            if (condition.fitAtLeast() != null) {
                fitEdges.add(condition.fitAtLeast());
            }
            if (condition.engagementAtLeast() != null) {
                engagementEdges.add(condition.engagementAtLeast());
            }
            if (condition.totalAtLeast() != null) {
                totalEdges.add(condition.totalAtLeast());
            }
        }
        return near(card.fit(), fitEdges, tolerance) || near(card.engagement(), engagementEdges, tolerance)
               || near(card.total(), totalEdges, tolerance);
    }

    private static boolean near(double value, List<Double> edges, double tolerance) {
        return edges.stream().anyMatch(edge -> Math.abs(value - edge) <= tolerance);
    }

    // ---- generators ----

    @Provide
    Arbitrary<RuleBasedModel> models() {
        Arbitrary<List<EngagementRule>> rules = rule().list().ofMinSize(1).ofMaxSize(7);
        Arbitrary<List<Pattern>> patterns = pattern().list().ofMaxSize(3);
        Arbitrary<List<Group>> groups = Combinators.combine(
                Arbitraries.of(5.0, 12.0, 30.0), Arbitraries.of(8.0, 25.0, 60.0), Arbitraries.of(10.0, 40.0),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((cap1, cap2, cap3, highest1, highest2, nested) -> List.of(
                        new Group("g1", cap1, nested ? "g3" : null, highest1),
                        new Group("g2", cap2, nested ? "g3" : null, highest2),
                        new Group("g3", cap3, null, false)));
        Arbitrary<Double> cap = Arbitraries.of(40.0, 100.0, 1000.0).injectNull(0.4);
        Arbitrary<Double> floor = Arbitraries.of(-10.0, 0.0, 5.0).injectNull(0.4);
        return Combinators.combine(rules, patterns, groups, cap, floor, Arbitraries.integers().between(1, 1_000_000))
                          .as((r, p, g, c, f, version) -> {
                              ModelDefinition base = BASE.definition();
                              return new RuleBasedModel(new ModelDefinition(
                                      "generated", version, "", base.fit(),
                                      new ModelDefinition.Engagement(withIds(r), g, withPatternIds(p), c, f),
                                      base.totalFloor(), base.bands(), base.lifecycle(), base.accounts()));
                          });
    }

    private static List<EngagementRule> withIds(List<EngagementRule> rules) {
        List<EngagementRule> named = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            EngagementRule rule = rules.get(i);
            named.add(new EngagementRule("r" + i, rule.match(), rule.points(), rule.frequency(), rule.windowDays(),
                                         rule.halfLifeDays(), rule.group()));
        }
        return named;
    }

    private static List<Pattern> withPatternIds(List<Pattern> patterns) {
        List<Pattern> named = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            Pattern p = patterns.get(i);
            String id = "p" + i;
            if (p instanceof CountPattern c) {
                named.add(new CountPattern(id, c.match(), c.count(), c.withinDays(), c.points(), c.halfLifeDays(),
                                           c.group()));
            } else if (p instanceof SequencePattern q) {
                named.add(new SequencePattern(id, q.steps(), q.sameSession(), q.points(), q.halfLifeDays(),
                                              q.group()));
            } else {
                CombinationPattern c = (CombinationPattern) p;
                named.add(new CombinationPattern(id, c.requires(), c.withinDays(), c.points(), c.halfLifeDays(),
                                                 c.group()));
            }
        }
        return named;
    }

    private Arbitrary<EventMatcher> matcher() {
        Arbitrary<List<AttributePredicate>> when = Arbitraries.of(
                List.<AttributePredicate>of(),
                List.of(new AttributePredicate("page_category", new ValueMatcher.Equals("pricing"))),
                List.of(new AttributePredicate("page_category", new ValueMatcher.In(java.util.Set.of("blog",
                                                                                                     "product")))));
        return Combinators.combine(Arbitraries.of(TYPES), when).as(EventMatcher::new);
    }

    private Arbitrary<Frequency> frequency() {
        return Arbitraries.oneOf(
                Arbitraries.just(Frequency.EVERY_TIME),
                Arbitraries.just(new Frequency(Frequency.Kind.ONCE, 1, 0)),
                Arbitraries.integers().between(1, 3).map(max -> new Frequency(Frequency.Kind.PER_DAY, max, 1)),
                Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 20))
                           .as((max, days) -> new Frequency(Frequency.Kind.PER_WINDOW, max, days)));
    }

    private Arbitrary<Double> halfLife() {
        return Arbitraries.of(0.5, 3.7, 30.0, 90.0).injectNull(0.3);
    }

    private Arbitrary<String> group() {
        return Arbitraries.of(GROUPS).injectNull(0.5);
    }

    private Arbitrary<EngagementRule> rule() {
        return Combinators.combine(matcher(), Arbitraries.of(-5.0, -2.5, 0.5, 1.0, 3.0, 10.0), frequency(),
                                   Arbitraries.integers().between(1, 60).injectNull(0.5), halfLife(), group())
                          .as((match, points, frequency, window, halfLife, group) ->
                                      new EngagementRule("", match, points, frequency, window, halfLife, group));
    }

    private Arbitrary<Pattern> pattern() {
        Arbitrary<Pattern> count = Combinators.combine(matcher(), Arbitraries.integers().between(1, 4),
                                                       Arbitraries.integers().between(1, 10),
                                                       Arbitraries.of(-4.0, 6.0, 15.0), halfLife(), group())
                .as((match, times, within, points, halfLife, group) ->
                            new CountPattern("", match, times, within, points, halfLife, group));
        Arbitrary<Pattern> sequence = Combinators.combine(matcher().list().ofMinSize(2).ofMaxSize(3),
                                                          Arbitraries.of(true, false),
                                                          Arbitraries.of(-4.0, 6.0, 15.0), halfLife(), group())
                .as((steps, sameSession, points, halfLife, group) ->
                            new SequencePattern("", steps, sameSession, points, halfLife, group));
        Arbitrary<Requirement> requirement = Combinators.combine(matcher(), Arbitraries.integers().between(1, 3))
                                                        .as(Requirement::new);
        Arbitrary<Pattern> combination = Combinators.combine(requirement.list().ofMinSize(1).ofMaxSize(3),
                                                             Arbitraries.integers().between(1, 15),
                                                             Arbitraries.of(-4.0, 6.0, 15.0), halfLife(), group())
                .as((requires, within, points, halfLife, group) ->
                            new CombinationPattern("", requires, within, points, halfLife, group));
        return Arbitraries.oneOf(count, sequence, combination);
    }

    @Provide
    Arbitrary<LeadFacts> histories() {
        // Minutes over about 90 days, so that days, windows and limits all come into play; some at the same instant.
        Arbitrary<EngagementFact> engagement = Combinators.combine(
                Arbitraries.of(TYPES), Arbitraries.integers().between(0, 90 * 24 * 60).edgeCases(c -> c.add(0)),
                Arbitraries.of("pricing", "blog", "product", ""), Arbitraries.of("", "s1", "s2", "s3"),
                Arbitraries.strings().alpha().ofLength(7), Arbitraries.integers().between(0, 3))
                .as((type, minutes, category, session, id, clicks) -> new EngagementFact(
                        id, type, T0.plus(Duration.ofMinutes(minutes)).plusNanos(minutes % 7 * 123_457L), session,
                        "", Map.of("page_category", category, "cta_clicks", String.valueOf(clicks), "seconds",
                                   String.valueOf(minutes % 200), "steps_viewed", String.valueOf(minutes % 9))));
        Arbitrary<ScoreAdjustment> adjustment = Combinators.combine(
                Arbitraries.strings().alpha().ofLength(5), Arbitraries.of(-15.0, -5.0, 5.0, 20.0),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 120),
                Arbitraries.integers().between(0, 60).injectNull(0.5))
                .as((id, points, toFit, startDay, lastsDays) -> new ScoreAdjustment(
                        id, points, toFit, "sam", "because", T0.plus(Duration.ofDays(startDay)),
                        lastsDays == null ? null : T0.plus(Duration.ofDays(startDay + 1L + lastsDays))));
        Arbitrary<FitProfile> profile = Arbitraries.of("VP Sales", "CEO", "Engineer", "")
                .map(title -> new FitProfile(title, io.leadscore.server.scoring.Seniority.values()[title.length() % io.leadscore.server.scoring.Seniority.values().length], "", 200, "", 0, "", List.of(), List.of()));
        // Bursts: many engagements in a few days, so that limits and windows are busy.
        Arbitrary<List<EngagementFact>> engagements = engagement.list().ofMaxSize(120)
                                                                .uniqueElements(EngagementFact::eventId);
        return Combinators.combine(profile, engagements, adjustment.list().ofMaxSize(3)
                                                                  .uniqueElements(ScoreAdjustment::adjustmentId))
                          .as((p, e, a) -> new LeadFacts("acme.com", "acme.com", p, e, a));
    }
}
