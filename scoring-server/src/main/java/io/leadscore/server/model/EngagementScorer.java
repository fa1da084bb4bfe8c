package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.model.ModelDefinition.Frequency;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.ScoreExplanation.Kind;
import io.leadscore.server.scoring.ScoreExplanation.Part;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Scores engagements with the model's rules, oldest first: the first matching rule scores an engagement, subject
 * to its window and frequency; counted points decay from the engagement's time. Every engagement gets a line, also
 * when it scores nothing, saying why.
 */
final class EngagementScorer {

    private EngagementScorer() {
    }

    static void score(List<EngagementRule> rules, List<EngagementFact> engagements, Instant asOf,
                      ExplanationBuilder out) {
        Map<String, ArrayDeque<Instant>> counted = new HashMap<>();
        for (EngagementFact engagement : engagements) {
            EngagementRule rule = firstMatch(rules, engagement);
            List<String> ids = List.of(engagement.eventId());
            if (rule == null) {
                out.add(Part.ENGAGEMENT, Kind.ENGAGEMENT_RULE, "", ids, engagement.occurredAt(), 0, 0,
                        () -> "no rule matches " + engagement.type(), null);
                continue;
            }
            if (rule.windowDays() != null
                && Duration.between(engagement.occurredAt(), asOf).compareTo(Duration.ofDays(rule.windowDays())) > 0) {
                out.add(Part.ENGAGEMENT, Kind.ENGAGEMENT_RULE, rule.id(), ids, engagement.occurredAt(), rule.points(),
                        0, () -> "outside the " + rule.windowDays() + "-day window", rule.group());
                continue;
            }
            ArrayDeque<Instant> before = counted.computeIfAbsent(rule.id(), id -> new ArrayDeque<>());
            Supplier<String> limit = frequencyLimit(rule.frequency(), before, engagement.occurredAt());
            if (limit != null) {
                if (rule.windowDays() != null) {
                    out.mayRiseLater(); // once the counted ones leave the window, this one may count
                }
                out.add(Part.ENGAGEMENT, Kind.ENGAGEMENT_RULE, rule.id(), ids, engagement.occurredAt(), rule.points(),
                        0, limit, rule.group());
                continue;
            }
            before.add(engagement.occurredAt());
            if (rule.points() < 0) {
                out.mayRiseLater(); // negative points decay towards nothing
            }
            double points = Decay.apply(rule.points(), rule.halfLifeDays(), engagement.occurredAt(), asOf);
            out.engagementPoints(points, rule.halfLifeDays());
            out.add(Part.ENGAGEMENT, Kind.ENGAGEMENT_RULE, rule.id(), ids, engagement.occurredAt(), rule.points(),
                    points, () -> Decay.note(rule.points(), rule.halfLifeDays(), engagement.occurredAt(), asOf),
                    rule.group());
        }
    }

    private static EngagementRule firstMatch(List<EngagementRule> rules, EngagementFact engagement) {
        for (EngagementRule rule : rules) {
            if (EventMatching.matches(rule.match(), engagement)) {
                return rule;
            }
        }
        return null;
    }

    /**
     * Why the frequency limit stops this engagement from counting (worded only when explaining), or null when it
     * counts. Engagements arrive
     * oldest first, so {@code counted} only needs the times a limit can still see: older ones are dropped, which
     * keeps scoring linear in the number of engagements.
     */
    private static Supplier<String> frequencyLimit(Frequency frequency, ArrayDeque<Instant> counted, Instant at) {
        switch (frequency.kind()) {
            case ONCE:
                return counted.isEmpty() ? null : () -> "counts once; already counted";
            case PER_DAY: {
                Instant dayStart = at.truncatedTo(ChronoUnit.DAYS);
                while (!counted.isEmpty() && counted.peekFirst().isBefore(dayStart)) {
                    counted.pollFirst();
                }
                return counted.size() < frequency.max() ? null
                        : () -> "at most " + frequency.max() + " per day; limit reached";
            }
            case PER_WINDOW: {
                Instant from = at.minus(Duration.ofDays(frequency.perDays()));
                while (!counted.isEmpty() && !counted.peekFirst().isAfter(from)) {
                    counted.pollFirst();
                }
                return counted.size() < frequency.max() ? null
                        : () -> "at most " + frequency.max() + " per " + frequency.perDays() + " days; limit reached";
            }
            default:
                return null;
        }
    }
}
