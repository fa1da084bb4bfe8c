package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.CombinationPattern;
import io.leadscore.server.model.ModelDefinition.CountPattern;
import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.model.ModelDefinition.EventMatcher;
import io.leadscore.server.model.ModelDefinition.Frequency;
import io.leadscore.server.model.ModelDefinition.Pattern;
import io.leadscore.server.model.ModelDefinition.SequencePattern;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTally;
import io.leadscore.server.scoring.ScoreExplanation.Part;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A lead's engagements as a rule-based model's score needs them, kept one engagement at a time in time order, so
 * that scoring after a new engagement costs the rules it touches instead of the whole history
 * ({@link EngagementScorer} and {@link PatternMatcher} stay the reference, and explain line by line):
 * <ul>
 *   <li>a rule without a window keeps what its frequency limit can still see (the day's count, the last N counted
 *       times) and a running decayed sum: a sum of 2^(t_i/h) measured from an anchor is exact under decay to any
 *       later time, re-anchored before it could overflow;</li>
 *   <li>a rule with a window keeps the times of its engagements inside the window of the latest one, with prefix
 *       sums of their decayed weights, and picks at scoring time which of them count, as the fold does (a window
 *       frees engagements a limit stopped); the cost is logarithmic per counted run, not per engagement;</li>
 *   <li>a pattern keeps its progress: the last matches a count or combination still needs, the step a sequence
 *       (or each session) has reached, and when it completed; a completed pattern keeps nothing else.</li>
 * </ul>
 * Facts no rule can look at again are not kept. Sums are added in another order than the fold's lines, so scores
 * agree with the fold to rounding, not to the bit (the property test states the bound).
 */
final class RuleTally implements EngagementTally {

    /** Anchored exponents stay below this many half-lives: 2^500 times any count stays far from overflow. */
    private static final double MAX_EXPONENT = 500;

    private final ModelDefinition.Engagement section;
    private final RuleState[] rules;
    private final PatternState[] patterns;
    private final BandClassifier.DemoTally demos = new BandClassifier.DemoTally();
    private EngagementFact last;
    private int size;

    RuleTally(ModelDefinition.Engagement section) {
        this.section = section;
        // Rules and patterns get their state when an engagement first concerns them: most leads touch few rules.
        this.rules = new RuleState[section.rules().size()];
        this.patterns = new PatternState[section.patterns().size()];
    }

    private static RuleState newRule(EngagementRule rule) {
        return rule.windowDays() == null ? new OpenRule(rule) : new WindowedRule(rule);
    }

    /** The pattern's state, made by the first engagement that can start it (before that it has no progress). */
    private static PatternState startedBy(Pattern pattern, EngagementFact engagement) {
        if (pattern instanceof CountPattern count) {
            return EventMatching.matches(count.match(), engagement) ? new CountProgress(count) : null;
        }
        if (pattern instanceof SequencePattern sequence) {
            return EventMatching.matches(sequence.steps().get(0), engagement) ? new SequenceProgress(sequence) : null;
        }
        CombinationPattern combination = (CombinationPattern) pattern;
        for (ModelDefinition.Requirement requirement : combination.requires()) {
            if (EventMatching.matches(requirement.match(), engagement)) {
                return new CombinationProgress(combination);
            }
        }
        return null;
    }

    /** Whether this tally was kept for {@code engagement}: the section of the very model that made it. */
    boolean keptFor(ModelDefinition.Engagement engagement) {
        return section == engagement;
    }

    @Override
    public boolean add(EngagementFact engagement) {
        if (last != null && TIME_ORDER.compare(engagement, last) < 0) {
            return false;
        }
        for (int i = 0; i < rules.length; i++) {
            EngagementRule rule = section.rules().get(i);
            if (EventMatching.matches(rule.match(), engagement)) {
                if (rules[i] == null) {
                    rules[i] = newRule(rule);
                }
                rules[i].add(engagement.occurredAt());
                break;
            }
        }
        for (int i = 0; i < patterns.length; i++) {
            if (patterns[i] == null) {
                patterns[i] = startedBy(section.patterns().get(i), engagement);
            }
            if (patterns[i] != null) {
                patterns[i].add(engagement);
            }
        }
        demos.add(engagement);
        last = engagement;
        size++;
        return true;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Instant latest() {
        return last == null ? null : last.occurredAt();
    }

    /** Adds what every rule and pattern scores at {@code asOf} (not before {@link #latest}) to {@code out}. */
    void score(Instant asOf, ExplanationBuilder out) {
        for (RuleState rule : rules) {
            if (rule != null) {
                rule.score(asOf, out);
            }
        }
        for (PatternState pattern : patterns) {
            if (pattern != null) {
                pattern.score(asOf, out);
            }
        }
    }

    String demoIntent(ModelDefinition.DemoIntent thresholds) {
        return demos.intent(thresholds);
    }

    private static double days(Instant from, Instant to) {
        return Decay.seconds(from, to) / 86_400;
    }

    /** One engagement rule: the engagements it scored first among the model's rules. */
    private abstract static class RuleState {
        final EngagementRule rule;

        RuleState(EngagementRule rule) {
            this.rule = rule;
        }

        abstract void add(Instant at);

        abstract void score(Instant asOf, ExplanationBuilder out);

        /** One counted engagement's points at {@code asOf}, computed as the fold computes its line. */
        double line(Instant at, Instant asOf) {
            return Decay.apply(rule.points(), rule.halfLifeDays(), at, asOf);
        }

        /**
         * Adds the rule's lines in sum: {@code counted} engagements worth {@code sum} together, the first and last
         * counted at {@code first} and {@code last}, and whether some line scored nothing (outside the window or
         * stopped by the limit: a zero line still takes part in a group counting its highest line only).
         */
        void emit(ExplanationBuilder out, Instant asOf, long counted, double sum, Instant first, Instant last,
                  boolean zeroLine, boolean limitedInWindow) {
            double highest = zeroLine ? 0 : Double.NEGATIVE_INFINITY;
            if (counted > 0) {
                double points = rule.points();
                highest = Math.max(highest, points > 0 ? line(last, asOf) : points < 0 ? line(first, asOf) : 0);
                if (points < 0) {
                    out.mayRiseLater(); // negative points decay towards nothing
                }
                out.engagementPoints(sum, rule.halfLifeDays());
            }
            if (limitedInWindow) {
                out.mayRiseLater(); // once the counted ones leave the window, a stopped one may count
            }
            out.addSummed(Part.ENGAGEMENT, sum, rule.group(), highest);
        }
    }

    /**
     * A rule without a window: what its frequency limit still sees, and a running decayed sum of what it counted.
     */
    private static final class OpenRule extends RuleState {
        private final Frequency frequency;
        private boolean matched;
        private boolean limited;
        private long counted;
        private Instant firstCounted;
        private Instant lastCounted;
        /** Sum of 2^((t_i - anchor) / h) over the counted times (their count without a half-life). */
        private double anchoredSum;
        private Instant anchor;
        /** PER_DAY: the day of the latest counted engagement and how many counted on it. */
        private Instant day;
        private int countedThatDay;
        /** PER_WINDOW: the last {@code max} counted times. */
        private ArrayDeque<Instant> recent;

        OpenRule(EngagementRule rule) {
            super(rule);
            this.frequency = rule.frequency();
        }

        @Override
        void add(Instant at) {
            matched = true;
            if (!counts(at)) {
                limited = true;
                return;
            }
            counted++;
            if (firstCounted == null) {
                firstCounted = at;
            }
            lastCounted = at;
            Double halfLife = rule.halfLifeDays();
            if (halfLife == null) {
                anchoredSum++;
            } else if (anchor == null) {
                anchor = at;
                anchoredSum = 1;
            } else {
                double exponent = days(anchor, at) / halfLife;
                if (exponent > MAX_EXPONENT) {
                    anchoredSum = anchoredSum * Math.pow(2, -exponent) + 1;
                    anchor = at;
                } else {
                    anchoredSum += Math.pow(2, exponent);
                }
            }
        }

        /** The fold's frequency check, for engagements arriving oldest first. */
        private boolean counts(Instant at) {
            switch (frequency.kind()) {
                case ONCE:
                    return counted == 0;
                case PER_DAY: {
                    Instant dayStart = at.truncatedTo(ChronoUnit.DAYS);
                    if (!dayStart.equals(day)) {
                        day = dayStart;
                        countedThatDay = 0;
                    }
                    if (countedThatDay >= frequency.max()) {
                        return false;
                    }
                    countedThatDay++;
                    return true;
                }
                case PER_WINDOW: {
                    if (frequency.max() <= 0) {
                        return false;
                    }
                    if (recent == null) {
                        recent = new ArrayDeque<>(frequency.max() + 1);
                    }
                    if (recent.size() >= frequency.max()
                        && recent.peekFirst().isAfter(at.minus(Duration.ofDays(frequency.perDays())))) {
                        return false;
                    }
                    recent.addLast(at);
                    if (recent.size() > frequency.max()) {
                        recent.pollFirst();
                    }
                    return true;
                }
                default:
                    return true;
            }
        }

        @Override
        void score(Instant asOf, ExplanationBuilder out) {
            if (!matched) {
                return;
            }
            double sum = 0;
            if (counted > 0) {
                sum = rule.halfLifeDays() == null ? rule.points() * anchoredSum
                        : rule.points() * anchoredSum * Decay.factor(days(anchor, asOf), rule.halfLifeDays());
            }
            emit(out, asOf, counted, sum, firstCounted, lastCounted, limited, false);
        }
    }

    /**
     * A rule with a window: the times of its engagements inside the window of the latest one (older ones are
     * outside it at every later time), with prefix sums of their decayed weights. Which of them count is decided when
     * scoring, as the fold decides it: only engagements inside the window at the scored time take part in the
     * frequency limit.
     */
    private static final class WindowedRule extends RuleState {
        private final Duration window;
        private final Frequency frequency;
        private boolean matched;
        /** Whether an engagement left the kept times: it scores a zero line at any later time. */
        private boolean dropped;
        private Instant[] times = new Instant[4];
        /**
         * weights[i] = 2^((times[i] - anchor) / h), or 1 without a half-life; prefix[i] = weights[0..i], summed from
         * the front of the arrays (times before head were dropped, their weights stay in the prefix sums).
         */
        private double[] weights = new double[4];
        private double[] prefix = new double[4];
        private int head;
        private int tail;
        private Instant anchor;

        WindowedRule(EngagementRule rule) {
            super(rule);
            this.window = Duration.ofDays(rule.windowDays());
            this.frequency = rule.frequency();
        }

        @Override
        void add(Instant at) {
            matched = true;
            Instant cutoff = at.minus(window);
            while (head < tail && times[head].isBefore(cutoff)) {
                head++;
                dropped = true;
            }
            if (head == tail) {
                head = 0;
                tail = 0;
                anchor = at;
            }
            if (tail == times.length) {
                compact();
            }
            Double halfLife = rule.halfLifeDays();
            if (halfLife != null && days(anchor, at) / halfLife > MAX_EXPONENT) {
                // Measure from the oldest kept time, or from this one when even that is too far back (old weights
                // then fall to nothing, as their points have).
                anchor = days(times[head], at) / halfLife > MAX_EXPONENT ? at : times[head];
                reweigh();
            }
            double weight = weight(at);
            times[tail] = at;
            weights[tail] = weight;
            prefix[tail] = (tail == 0 ? 0 : prefix[tail - 1]) + weight;
            tail++;
        }

        private double weight(Instant at) {
            return rule.halfLifeDays() == null ? 1 : Math.pow(2, days(anchor, at) / rule.halfLifeDays());
        }

        /** Moves the kept times to the front (growing the arrays when more than half full) and re-adds the sums. */
        private void compact() {
            int kept = tail - head;
            int capacity = kept * 2 > times.length ? times.length * 2 : times.length;
            Instant[] movedTimes = new Instant[capacity];
            double[] movedWeights = new double[capacity];
            System.arraycopy(times, head, movedTimes, 0, kept);
            System.arraycopy(weights, head, movedWeights, 0, kept);
            times = movedTimes;
            weights = movedWeights;
            prefix = new double[capacity];
            head = 0;
            tail = kept;
            sumUp();
        }

        /** Measures every kept weight from the anchor again (the newest would have grown past the limit). */
        private void reweigh() {
            compact();
            for (int i = head; i < tail; i++) {
                weights[i] = weight(times[i]);
            }
            sumUp();
        }

        private void sumUp() {
            double sum = 0;
            for (int i = head; i < tail; i++) {
                sum += weights[i];
                prefix[i] = sum;
            }
        }

        /** The weights of kept times {@code from} (inclusive) to {@code to} (exclusive). */
        private double weights(int from, int to) {
            if (from >= to) {
                return 0;
            }
            return prefix[to - 1] - (from == 0 ? 0 : prefix[from - 1]);
        }

        /** The first kept index in [from, tail) whose time is not before {@code at}. */
        private int firstAtOrAfter(Instant at, int from) {
            int low = from;
            int high = tail;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (times[middle].isBefore(at)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        @Override
        void score(Instant asOf, ExplanationBuilder out) {
            if (!matched) {
                return;
            }
            int inside = firstAtOrAfter(asOf.minus(window), head);
            boolean outside = dropped || inside > head;
            long counted = 0;
            double weight = 0;
            Instant first = null;
            Instant last = null;
            boolean limited = false;
            switch (frequency.kind()) {
                case ONCE -> {
                    if (inside < tail) {
                        counted = 1;
                        weight = weights[inside];
                        first = times[inside];
                        last = first;
                        limited = tail - inside > 1;
                    }
                }
                case PER_DAY -> {
                    for (int i = inside; i < tail; ) {
                        int nextDay = firstAtOrAfter(times[i].truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)), i);
                        int taken = Math.min(frequency.max(), nextDay - i);
                        if (taken > 0) {
                            counted += taken;
                            weight += weights(i, i + taken);
                            first = first == null ? times[i] : first;
                            last = times[i + taken - 1];
                        }
                        limited |= nextDay - i > taken;
                        i = nextDay;
                    }
                }
                case PER_WINDOW -> {
                    Duration per = Duration.ofDays(frequency.perDays());
                    ArrayDeque<Instant> recent = new ArrayDeque<>(frequency.max() + 1);
                    for (int i = inside; i < tail && frequency.max() > 0; ) {
                        counted++;
                        weight += weights[i];
                        first = first == null ? times[i] : first;
                        last = times[i];
                        recent.addLast(times[i]);
                        if (recent.size() > frequency.max()) {
                            recent.pollFirst();
                        }
                        int next = i + 1;
                        if (recent.size() == frequency.max()) {
                            // The next to count is the first no longer within the limit's days of the oldest of the
                            // last max counted (the fold drops counted times at or before t - days).
                            next = Math.max(next, firstAtOrAfter(recent.peekFirst().plus(per), i + 1));
                        }
                        limited |= next > i + 1 && i + 1 < tail;
                        i = next;
                    }
                    limited |= frequency.max() == 0 && inside < tail;
                }
                default -> {
                    counted = tail - inside;
                    weight = weights(inside, tail);
                    first = counted > 0 ? times[inside] : null;
                    last = counted > 0 ? times[tail - 1] : null;
                }
            }
            double sum = counted == 0 ? 0 : rule.halfLifeDays() == null ? rule.points() * weight
                    : rule.points() * weight * Decay.factor(days(anchor, asOf), rule.halfLifeDays());
            emit(out, asOf, counted, sum, first, last, outside || limited, limited);
        }
    }

    /** A pattern's progress toward its completion, which is the time it scores from. */
    private abstract static class PatternState {
        final Pattern pattern;
        Instant completedAt;

        PatternState(Pattern pattern) {
            this.pattern = pattern;
        }

        void add(EngagementFact engagement) {
            if (completedAt == null) {
                progress(engagement);
            }
        }

        abstract void progress(EngagementFact engagement);

        /** Scores a completion as {@link PatternMatcher} does: once, decaying from when it completed. */
        void score(Instant asOf, ExplanationBuilder out) {
            if (completedAt == null) {
                return;
            }
            if (pattern.points() < 0) {
                out.mayRiseLater();
            }
            double points = Decay.apply(pattern.points(), pattern.halfLifeDays(), completedAt, asOf);
            out.engagementPoints(points, pattern.halfLifeDays());
            out.addSummed(Part.ENGAGEMENT, points, pattern.group(), points);
        }
    }

    /** {@code count} matches within {@code withinDays}: the last count matching times. */
    private static final class CountProgress extends PatternState {
        private final CountPattern count;
        private final Duration within;
        private final ArrayDeque<Instant> last = new ArrayDeque<>();

        CountProgress(CountPattern count) {
            super(count);
            this.count = count;
            this.within = Duration.ofDays(count.withinDays());
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
    private static final class SequenceProgress extends PatternState {
        private final List<EventMatcher> steps;
        private final boolean sameSession;
        private int step;
        private Map<String, Integer> sessionSteps;

        SequenceProgress(SequencePattern sequence) {
            super(sequence);
            this.steps = sequence.steps();
            this.sameSession = sequence.sameSession();
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
    private static final class CombinationProgress extends PatternState {
        private final CombinationPattern combination;
        private final Duration within;
        private final ArrayDeque<Instant>[] last;

        @SuppressWarnings("unchecked")
        CombinationProgress(CombinationPattern combination) {
            super(combination);
            this.combination = combination;
            this.within = Duration.ofDays(combination.withinDays());
            this.last = new ArrayDeque[combination.requires().size()];
            for (int r = 0; r < last.length; r++) {
                last[r] = new ArrayDeque<>();
            }
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
