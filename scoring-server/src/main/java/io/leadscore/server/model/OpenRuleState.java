package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.model.ModelDefinition.Frequency;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;

/**
 * A rule without a window: what its frequency limit still sees (the day's count, the last N counted times) and a
 * running decayed sum of what it counted. A sum of 2^(t_i/h), measured from an anchor, is exact under decay to any
 * later time; it is re-anchored before it could overflow.
 */
final class OpenRuleState extends RuleState {

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

    OpenRuleState(EngagementRule rule) {
        super(rule);
        this.frequency = rule.frequency();
    }

    private OpenRuleState(OpenRuleState original) {
        super(original.rule);
        this.frequency = original.frequency;
        this.matched = original.matched;
        this.limited = original.limited;
        this.counted = original.counted;
        this.firstCounted = original.firstCounted;
        this.lastCounted = original.lastCounted;
        this.anchoredSum = original.anchoredSum;
        this.anchor = original.anchor;
        this.day = original.day;
        this.countedThatDay = original.countedThatDay;
        this.recent = original.recent == null ? null : original.recent.clone();
    }

    @Override
    RuleState copy() {
        return new OpenRuleState(this);
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
            double exponent = Decay.ageDays(anchor, at) / halfLife;
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
                    recent = new ArrayDeque<>(); // grows as needed: a limit may be large
                }
                // The fold drops counted times at or before t - days, then counts while fewer than max are left.
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
        double sum = counted == 0 ? 0 : points(anchoredSum, anchor, asOf);
        emit(out, asOf, counted, sum, firstCounted, lastCounted, limited, false);
    }
}
