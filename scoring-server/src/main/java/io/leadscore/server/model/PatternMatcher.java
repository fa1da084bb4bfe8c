package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.CombinationPattern;
import io.leadscore.server.model.ModelDefinition.CountPattern;
import io.leadscore.server.model.ModelDefinition.EventMatcher;
import io.leadscore.server.model.ModelDefinition.Pattern;
import io.leadscore.server.model.ModelDefinition.Requirement;
import io.leadscore.server.model.ModelDefinition.SequencePattern;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.ScoreExplanation.Kind;
import io.leadscore.server.scoring.ScoreExplanation.Part;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the patterns ("the pattern, not the individual action") in engagements sorted oldest first. A pattern
 * scores once, at the time it first completes, and decays from then.
 */
final class PatternMatcher {

    private PatternMatcher() {
    }

    /** What completed the pattern: when, and which engagements. */
    private record Completion(Instant at, List<String> eventIds) {
    }

    static void score(List<Pattern> patterns, List<EngagementFact> engagements, Instant asOf, ExplanationBuilder out) {
        for (Pattern pattern : patterns) {
            Completion completion;
            if (pattern instanceof CountPattern count) {
                completion = count(count, engagements);
            } else if (pattern instanceof SequencePattern sequence) {
                completion = sequence(sequence, engagements);
            } else {
                completion = combination((CombinationPattern) pattern, engagements);
            }
            if (completion != null) {
                if (pattern.points() < 0) {
                    out.mayRiseLater(); // negative points decay towards nothing
                }
                double points = Decay.apply(pattern.points(), pattern.halfLifeDays(), completion.at(), asOf);
                out.engagementPoints(points, pattern.halfLifeDays());
                Completion completed = completion;
                out.add(Part.ENGAGEMENT, Kind.PATTERN, pattern.id(), completion.eventIds(), completion.at(),
                        pattern.points(), points,
                        () -> "pattern completed" + prefixed(Decay.note(pattern.points(), pattern.halfLifeDays(),
                                                                        completed.at(), asOf)),
                        pattern.group());
            }
        }
    }

    private static String prefixed(String note) {
        return note.isEmpty() ? "" : "; " + note;
    }

    /** The first time {@code times} matching engagements fall within {@code withinDays}. */
    private static Completion count(CountPattern pattern, List<EngagementFact> engagements) {
        List<EngagementFact> matching = engagements.stream()
                                                   .filter(e -> EventMatching.matches(pattern.match(), e)).toList();
        Duration within = Duration.ofDays(pattern.withinDays());
        for (int end = pattern.count() - 1; end < matching.size(); end++) {
            EngagementFact first = matching.get(end - pattern.count() + 1);
            EngagementFact last = matching.get(end);
            if (Duration.between(first.occurredAt(), last.occurredAt()).compareTo(within) <= 0) {
                return new Completion(last.occurredAt(),
                                      matching.subList(end - pattern.count() + 1, end + 1).stream()
                                              .map(EngagementFact::eventId).toList());
            }
        }
        return null;
    }

    /** The earliest completion of the steps in order, within one non-empty session when required. */
    private static Completion sequence(SequencePattern pattern, List<EngagementFact> engagements) {
        Map<String, List<EngagementFact>> streams = new LinkedHashMap<>();
        for (EngagementFact engagement : engagements) {
            if (pattern.sameSession()) {
                if (!engagement.sessionId().isEmpty()) {
                    streams.computeIfAbsent(engagement.sessionId(), s -> new ArrayList<>()).add(engagement);
                }
            } else {
                streams.computeIfAbsent("", s -> new ArrayList<>()).add(engagement);
            }
        }
        Completion earliest = null;
        for (List<EngagementFact> stream : streams.values()) {
            Completion completion = stepsInOrder(pattern.steps(), stream);
            if (completion != null && (earliest == null || completion.at().isBefore(earliest.at()))) {
                earliest = completion;
            }
        }
        return earliest;
    }

    private static Completion stepsInOrder(List<EventMatcher> steps, List<EngagementFact> stream) {
        List<String> ids = new ArrayList<>();
        int step = 0;
        for (EngagementFact engagement : stream) {
            if (EventMatching.matches(steps.get(step), engagement)) {
                ids.add(engagement.eventId());
                if (++step == steps.size()) {
                    return new Completion(engagement.occurredAt(), ids);
                }
            }
        }
        return null;
    }

    /**
     * The first engagement at which every requirement is met within the preceding {@code withinDays}. Each
     * requirement keeps a sliding window over its own matches, so the search is linear in the engagements.
     */
    private static Completion combination(CombinationPattern pattern, List<EngagementFact> engagements) {
        Duration within = Duration.ofDays(pattern.withinDays());
        List<Requirement> requires = pattern.requires();
        List<List<Integer>> matches = new ArrayList<>();
        for (Requirement requirement : requires) {
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < engagements.size(); i++) {
                if (EventMatching.matches(requirement.match(), engagements.get(i))) {
                    positions.add(i);
                }
            }
            matches.add(positions);
        }
        int[] low = new int[requires.size()];
        int[] high = new int[requires.size()];
        for (int end = 0; end < engagements.size(); end++) {
            Instant from = engagements.get(end).occurredAt().minus(within);
            boolean all = true;
            for (int r = 0; r < requires.size(); r++) {
                List<Integer> positions = matches.get(r);
                while (high[r] < positions.size() && positions.get(high[r]) <= end) {
                    high[r]++;
                }
                while (low[r] < high[r] && engagements.get(positions.get(low[r])).occurredAt().isBefore(from)) {
                    low[r]++;
                }
                if (high[r] - low[r] < requires.get(r).count()) {
                    all = false;
                }
            }
            if (all) {
                List<String> ids = new ArrayList<>();
                for (int r = 0; r < requires.size(); r++) {
                    for (int k = high[r] - requires.get(r).count(); k < high[r]; k++) {
                        String id = engagements.get(matches.get(r).get(k)).eventId();
                        if (!ids.contains(id)) {
                            ids.add(id);
                        }
                    }
                }
                return new Completion(engagements.get(end).occurredAt(), ids);
            }
        }
        return null;
    }
}
