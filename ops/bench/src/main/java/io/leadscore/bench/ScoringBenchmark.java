package io.leadscore.bench;

import io.leadscore.server.model.BuiltInModels;
import io.leadscore.server.model.RuleBasedModel;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTypes;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.Seniority;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost of the scoring function: scoring one lead, with its full explanation and alone, with 10, 100 and 1000
 * engagements, under the shipped default model and under the same model with 100 more engagement rules placed
 * before its own (each engagement is then tested against them first: the cost of model size). Divide by the
 * engagement count for the cost per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScoringBenchmark {

    @Param({"10", "100", "1000"})
    int engagements;

    /** {@code default}: ops/models/default.yaml; {@code default+100}: with 100 extra rules ahead of its own. */
    @Param({"default", "default+100"})
    String modelSize;

    private RuleBasedModel model;
    private LeadFacts facts;
    private Instant asOf;

    @Setup
    public void setUp() {
        model = modelSize.equals("default") ? BuiltInModels.defaultModel() : withExtraRules(100);
        List<String> types = new ArrayList<>(EngagementTypes.KNOWN);
        SplittableRandom random = new SplittableRandom(42);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<EngagementFact> history = new ArrayList<>();
        for (int i = 0; i < engagements; i++) {
            history.add(new EngagementFact("e" + i, types.get(random.nextInt(types.size())),
                                           start.plus(Duration.ofMinutes(random.nextInt(180 * 24 * 60))),
                                           "s" + random.nextInt(20), "web",
                                           Map.of("page_category", random.nextInt(4) == 0 ? "pricing" : "blog",
                                                  "percent_watched", String.valueOf(random.nextInt(101)))));
        }
        facts = new LeadFacts("acme.com", "acme.com",
                              new FitProfile("VP Marketing", Seniority.VP, "marketing", 250, "software", 20_000_000L,
                                             "DE", List.of("salesforce"), List.of("funding")),
                              history);
        asOf = start.plus(Duration.ofDays(200));
    }

    /** The default model with {@code count} page-view rules on attribute values no engagement here carries. */
    private static RuleBasedModel withExtraRules(int count) {
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < count; i++) {
            extra.append("    - id: extra_").append(i).append("\n")
                 .append("      type: page_view\n")
                 .append("      when: [{attribute: page_category, equals: section-").append(i).append("}]\n")
                 .append("      points: 1\n");
        }
        String document = BuiltInModels.defaultDocument();
        int engagementRules = document.indexOf("  rules:\n", document.indexOf("\nengagement:"));
        int insertAt = engagementRules + "  rules:\n".length();
        return new RuleBasedModel(io.leadscore.server.model.ModelParser.parse(
                document.substring(0, insertAt) + extra + document.substring(insertAt)));
    }

    /** The score with every line of its explanation: ExplainScore. */
    @Benchmark
    public ScoreExplanation scoreWithExplanation() {
        return model.explain(facts, asOf);
    }

    /** The score alone: what every fold of every event (commands, the projection, replays) and GetScore compute. */
    @Benchmark
    public ScoreCard scoreOnly() {
        return model.score(facts, asOf);
    }
}
