package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.CombinationPattern;
import io.leadscore.server.model.ModelDefinition.CountPattern;
import io.leadscore.server.model.ModelDefinition.EventMatcher;
import io.leadscore.server.model.ModelDefinition.Pattern;
import io.leadscore.server.model.ModelDefinition.SequencePattern;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.ScoreExplanation.Part;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pattern's progress toward its completion, which is the time it scores from, kept as engagements arrive oldest
 * first: the last matches a count or combination still needs, the step a sequence (or each session) has reached. A
 * completed pattern keeps nothing else; {@link PatternMatcher} finds the same completion in the whole history.
 */
abstract class PatternProgress {

    final Pattern pattern;
    Instant completedAt;

    PatternProgress(Pattern pattern) {
        this.pattern = pattern;
    }

    /** The pattern's progress, made by the first engagement that can start it (before that it has none); or null. */
    static PatternProgress startedBy(Pattern pattern, EngagementFact engagement) {
        if (pattern instanceof CountPattern count) {
            return EventMatching.matches(count.match(), engagement) ? new Count(count) : null;
        }
        if (pattern instanceof SequencePattern sequence) {
            return EventMatching.matches(sequence.steps().get(0), engagement) ? new Sequence(sequence) : null;
        }
        CombinationPattern combination = (CombinationPattern) pattern;
        for (ModelDefinition.Requirement requirement : combination.requires()) {
            if (EventMatching.matches(requirement.match(), engagement)) {
                return new Combination(combination);
            }
        }
        return null;
    }

    final void add(EngagementFact engagement) {
        if (completedAt == null) {
            progress(engagement);
        }
    }

    abstract void progress(EngagementFact engagement);

    /** An independent copy: adding to either leaves the other as it was. */
    abstract PatternProgress copy();

    /** Scores a completion as {@link PatternMatcher} does: once, decaying from when it completed. */
    final void score(Instant asOf, ExplanationBuilder out) {
        if (completedAt == null) {
            return;
        }
        if (pattern.points() < 0) {
            out.mayRiseLater();
        }
        double points = Decay.apply(pattern.points(), pattern.halfLifeDays(), completedAt, asOf);
        out.engagementPoints(points, pattern.halfLifeDays());
        out.addSummed(Part.ENGAGEMENT, points, pattern.group(), points,
                      () -> new ScoreExplanation.Line(Part.ENGAGEMENT, ScoreExplanation.Kind.PATTERN, pattern.id(),
                                                      List.of(), completedAt, pattern.points(), points,
                                                      "pattern '" + pattern.id() + "' completed at " + completedAt));
    }

    /** {@code count} matches within {@code withinDays}: the last count matching times. */
    private static final class Count extends PatternProgress {
        private final CountPattern count;
        private final Duration within;
        private ArrayDeque<Instant> last = new ArrayDeque<>();

        Count(CountPattern count) {
            super(count);
            this.count = count;
            this.within = Duration.ofDays(count.withinDays());
        }

        @Override
        PatternProgress copy() {
            Count copy = new Count(count);
            copy.completedAt = completedAt;
            copy.last = last.clone();
            return copy;
        }

        @Override
        void progress(EngagementFact engagement) {
            if (!EventMatching.matches(count.match(), engagement)) {
                return;
            }
            last.addLast(engagement.occurredAt());
            if (last.size() > count.count()) {
                last.pollFirst();
            }
            if (last.size() == count.count()
                && Duration.between(last.peekFirst(), engagement.occurredAt()).compareTo(within) <= 0) {
                completedAt = engagement.occurredAt();
                last.clear();
            }
        }
    }

    /** Steps in order: the step reached, overall or per session. */
    private static final class Sequence extends PatternProgress {
        private final List<EventMatcher> steps;
        private final boolean sameSession;
        private int step;
        private Map<String, Integer> sessionSteps;

        Sequence(SequencePattern sequence) {
            super(sequence);
            this.steps = sequence.steps();
            this.sameSession = sequence.sameSession();
        }

        @Override
        PatternProgress copy() {
            Sequence copy = new Sequence((SequencePattern) pattern);
            copy.completedAt = completedAt;
            copy.step = step;
            copy.sessionSteps = sessionSteps == null ? null : new HashMap<>(sessionSteps);
            return copy;
        }

        @Override
        void progress(EngagementFact engagement) {
            if (!sameSession) {
                if (EventMatching.matches(steps.get(step), engagement) && ++step == steps.size()) {
                    completedAt = engagement.occurredAt();
                }
                return;
            }
            String session = engagement.sessionId();
            if (session.isEmpty()) {
                return;
            }
            if (sessionSteps == null) {
                sessionSteps = new HashMap<>();
            }
            int reached = sessionSteps.getOrDefault(session, 0);
            if (EventMatching.matches(steps.get(reached), engagement)) {
                if (reached + 1 == steps.size()) {
                    completedAt = engagement.occurredAt(); // the first session to finish, oldest first
                    sessionSteps = null;
                } else {
                    sessionSteps.put(session, reached + 1);
                }
            }
        }
    }

    /** Every requirement met within {@code withinDays}: each requirement's last count matching times. */
    private static final class Combination extends PatternProgress {
        private final CombinationPattern combination;
        private final Duration within;
        private final ArrayDeque<Instant>[] last;

        @SuppressWarnings("unchecked")
        Combination(CombinationPattern combination) {
            super(combination);
            this.combination = combination;
            this.within = Duration.ofDays(combination.withinDays());
            this.last = new ArrayDeque[combination.requires().size()];
            for (int r = 0; r < last.length; r++) {
                last[r] = new ArrayDeque<>();
            }
        }

        @Override
        PatternProgress copy() {
            Combination copy = new Combination(combination);
            copy.completedAt = completedAt;
            for (int r = 0; r < last.length; r++) {
                copy.last[r] = last[r].clone();
            }
            return copy;
        }

        @Override
        void progress(EngagementFact engagement) {
            Instant at = engagement.occurredAt();
            for (int r = 0; r < last.length; r++) {
                ModelDefinition.Requirement requirement = combination.requires().get(r);
                if (EventMatching.matches(requirement.match(), engagement)) {
                    last[r].addLast(at);
                    if (last[r].size() > requirement.count()) {
                        last[r].pollFirst();
                    }
                }
            }
            Instant from = at.minus(within);
            for (int r = 0; r < last.length; r++) {
                int needed = combination.requires().get(r).count();
                if (needed > 0 && (last[r].size() < needed || last[r].peekFirst().isBefore(from))) {
                    return;
                }
            }
            completedAt = at;
            for (ArrayDeque<Instant> times : last) {
                times.clear();
            }
        }
    }
}
