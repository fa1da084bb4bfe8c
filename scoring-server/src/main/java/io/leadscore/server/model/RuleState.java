package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.ScoreExplanation.Part;

import java.time.Instant;
import java.util.List;

/**
 * What one engagement rule keeps of the engagements it scored first among the model's rules, to score them as
 * {@link EngagementScorer} does without going through them again. Engagements arrive oldest first.
 */
abstract class RuleState {

    /** Anchored exponents stay below this many half-lives: 2^500 times any count stays far from overflow. */
    static final double MAX_EXPONENT = 500;

    final EngagementRule rule;

    RuleState(EngagementRule rule) {
        this.rule = rule;
    }

    /** The state for {@code rule}: windows decide at scoring time which engagements count, open rules as they come. */
    static RuleState of(EngagementRule rule) {
        return rule.windowDays() == null ? new OpenRuleState(rule) : new WindowedRuleState(rule);
    }

    /** Takes the next engagement the rule scores, not before any taken. */
    abstract void add(Instant at);

    /** Adds what the rule's engagements score at {@code asOf}, not before the latest of them, to {@code out}. */
    abstract void score(Instant asOf, ExplanationBuilder out);

    /** An independent copy: adding to either leaves the other as it was. */
    abstract RuleState copy();

    /**
     * The points of counted engagements whose weights, 2^((t - anchor) / h) each (1 without a half-life), add up to
     * {@code weight}, decayed to {@code asOf}: one multiplication for all of them.
     */
    final double points(double weight, Instant anchor, Instant asOf) {
        Double halfLife = rule.halfLifeDays();
        return halfLife == null ? rule.points() * weight
                : rule.points() * weight * Decay.factor(Decay.ageDays(anchor, asOf), halfLife);
    }

    /** One counted engagement's points at {@code asOf}, computed as the fold computes its line. */
    final double line(Instant at, Instant asOf) {
        return Decay.apply(rule.points(), rule.halfLifeDays(), at, asOf);
    }

    /**
     * Adds the rule's lines in sum: {@code counted} engagements worth {@code sum} together, the first and last
     * counted at {@code first} and {@code last}, and whether some line scored nothing (outside the window or
     * stopped by the limit: a zero line still takes part in a group counting its highest line only).
     */
    final void emit(ExplanationBuilder out, Instant asOf, long counted, double sum, Instant first, Instant last,
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
        out.addSummed(Part.ENGAGEMENT, sum, rule.group(), highest,
                      () -> counted == 0 && !zeroLine ? null : summary(counted, sum, first, last, limitedInWindow));
    }

    /** The rule's engagements as one line of a summarized explanation. */
    private ScoreExplanation.Line summary(long counted, double sum, Instant first, Instant last, boolean stopped) {
        StringBuilder note = new StringBuilder();
        note.append(counted).append(counted == 1 ? " engagement" : " engagements");
        if (counted > 0) {
            note.append(counted == 1 ? " at " + last : " from " + first + " to " + last)
                .append(", ").append(ExplanationBuilder.format(rule.points())).append(" pts each");
            if (rule.halfLifeDays() != null) {
                note.append(", halving every ").append(ExplanationBuilder.format(rule.halfLifeDays())).append(" days");
            }
        }
        if (stopped) {
            note.append("; others outside the window or over the frequency limit scored nothing");
        }
        return new ScoreExplanation.Line(Part.ENGAGEMENT, ScoreExplanation.Kind.ENGAGEMENT_SUMMARY, rule.id(),
                                         List.of(), counted > 0 ? last : null, counted * rule.points(), sum,
                                         note.toString());
    }
}
