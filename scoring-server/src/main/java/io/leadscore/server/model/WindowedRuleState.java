package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.model.ModelDefinition.Frequency;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;

/**
 * A rule with a window: the times of its engagements inside the window of the latest one (older ones are outside
 * it at every later time), with prefix sums of their decayed weights. Which of them count is decided when scoring,
 * as the fold decides it: only engagements inside the window at the scored time take part in the frequency limit,
 * so a window frees engagements a limit stopped. Scoring costs a binary search per counted run (per day for a daily
 * limit, per counted engagement for a limit over days), not a step per engagement.
 */
final class WindowedRuleState extends RuleState {

    private final Duration window;
    private final Frequency frequency;
    private boolean matched;
    /** Whether an engagement left the kept times: it scores a zero line at any later time. */
    private boolean dropped;
    /** weight = 2^((t - anchor) / h), or 1 without a half-life. */
    private TimeWeights times = new TimeWeights();
    private Instant anchor;

    WindowedRuleState(EngagementRule rule) {
        super(rule);
        this.window = Duration.ofDays(rule.windowDays());
        this.frequency = rule.frequency();
    }

    private WindowedRuleState(WindowedRuleState original) {
        super(original.rule);
        this.window = original.window;
        this.frequency = original.frequency;
        this.matched = original.matched;
        this.dropped = original.dropped;
        this.times = original.times.copy();
        this.anchor = original.anchor;
    }

    @Override
    RuleState copy() {
        return new WindowedRuleState(this);
    }

    @Override
    void add(Instant at) {
        matched = true;
        dropped |= times.dropBefore(at.minus(window));
        if (times.isEmpty()) {
            anchor = at;
        }
        Double halfLife = rule.halfLifeDays();
        if (halfLife != null && Decay.ageDays(anchor, at) / halfLife > MAX_EXPONENT) {
            // Measure from the oldest kept time, or from this one when even that is too far back (old weights then
            // fall to nothing, as their points have).
            Instant oldest = times.time(times.head());
            anchor = Decay.ageDays(oldest, at) / halfLife > MAX_EXPONENT ? at : oldest;
            times.reweigh(this::weight);
        }
        times.append(at, weight(at));
    }

    private double weight(Instant at) {
        return rule.halfLifeDays() == null ? 1 : Math.pow(2, Decay.ageDays(anchor, at) / rule.halfLifeDays());
    }

    @Override
    void score(Instant asOf, ExplanationBuilder out) {
        if (!matched) {
            return;
        }
        long tail = times.tail();
        long inside = times.firstAtOrAfter(asOf.minus(window), times.head());
        boolean outside = dropped || inside > times.head();
        long counted = 0;
        double weight = 0;
        Instant first = null;
        Instant last = null;
        boolean limited = false;
        switch (frequency.kind()) {
            case ONCE -> {
                if (inside < tail) {
                    counted = 1;
                    weight = times.weight(inside);
                    first = times.time(inside);
                    last = first;
                    limited = tail - inside > 1;
                }
            }
            case PER_DAY -> {
                for (long i = inside; i < tail; ) {
                    Instant nextDay = times.time(i).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
                    long dayEnd = times.firstAtOrAfter(nextDay, i);
                    long taken = Math.min(frequency.max(), dayEnd - i);
                    if (taken > 0) {
                        counted += taken;
                        weight += times.weights(i, i + taken);
                        first = first == null ? times.time(i) : first;
                        last = times.time(i + taken - 1);
                    }
                    limited |= dayEnd - i > taken;
                    i = dayEnd;
                }
            }
            case PER_WINDOW -> {
                Duration per = Duration.ofDays(frequency.perDays());
                ArrayDeque<Instant> recent = new ArrayDeque<>(); // grows as needed: a limit may be large
                for (long i = inside; i < tail && frequency.max() > 0; ) {
                    counted++;
                    weight += times.weight(i);
                    first = first == null ? times.time(i) : first;
                    last = times.time(i);
                    recent.addLast(times.time(i));
                    if (recent.size() > frequency.max()) {
                        recent.pollFirst();
                    }
                    long next = i + 1;
                    if (recent.size() == frequency.max()) {
                        // The next to count is the first no longer within the limit's days of the oldest of the last
                        // max counted (the fold drops counted times at or before t - days).
                        next = Math.max(next, times.firstAtOrAfter(recent.peekFirst().plus(per), i + 1));
                    }
                    limited |= next > i + 1 && i + 1 < tail;
                    i = next;
                }
                limited |= frequency.max() == 0 && inside < tail;
            }
            default -> {
                counted = tail - inside;
                weight = times.weights(inside, tail);
                first = counted > 0 ? times.time(inside) : null;
                last = counted > 0 ? times.time(tail - 1) : null;
            }
        }
        double sum = counted == 0 ? 0 : points(weight, anchor, asOf);
        emit(out, asOf, counted, sum, first, last, outside || limited, limited);
    }
}
