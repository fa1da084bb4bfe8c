package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.EngagementRule;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTally;

import java.time.Instant;

/**
 * Every rule's and pattern's state for one lead's engagements, taken strictly oldest first. Rules and patterns get
 * their state when an engagement first concerns them: most leads touch few rules.
 */
final class TallyState {

    private final ModelDefinition.Engagement section;
    private final RuleState[] rules;
    private final PatternProgress[] patterns;
    private final BandClassifier.DemoTally demos;
    private EngagementFact last;
    private int size;

    TallyState(ModelDefinition.Engagement section) {
        this.section = section;
        this.rules = new RuleState[section.rules().size()];
        this.patterns = new PatternProgress[section.patterns().size()];
        this.demos = new BandClassifier.DemoTally();
    }

    private TallyState(TallyState original) {
        this.section = original.section;
        this.rules = new RuleState[original.rules.length];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = original.rules[i] == null ? null : original.rules[i].copy();
        }
        this.patterns = new PatternProgress[original.patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = original.patterns[i] == null ? null : original.patterns[i].copy();
        }
        this.demos = original.demos.copy();
        this.last = original.last;
        this.size = original.size;
    }

    /** An independent copy: adding to either leaves the other as it was. */
    TallyState copy() {
        return new TallyState(this);
    }

    /** Whether {@code engagement} may come next: it is not before the latest taken. */
    boolean takes(EngagementFact engagement) {
        return last == null || EngagementTally.TIME_ORDER.compare(engagement, last) >= 0;
    }

    /** Takes the next engagement; {@link #takes} must hold. */
    void add(EngagementFact engagement) {
        for (int i = 0; i < rules.length; i++) {
            EngagementRule rule = section.rules().get(i);
            if (EventMatching.matches(rule.match(), engagement)) {
                if (rules[i] == null) {
                    rules[i] = RuleState.of(rule);
                }
                rules[i].add(engagement.occurredAt());
                break;
            }
        }
        for (int i = 0; i < patterns.length; i++) {
            if (patterns[i] == null) {
                patterns[i] = PatternProgress.startedBy(section.patterns().get(i), engagement);
            }
            if (patterns[i] != null) {
                patterns[i].add(engagement);
            }
        }
        demos.add(engagement);
        last = engagement;
        size++;
    }

    int size() {
        return size;
    }

    Instant latest() {
        return last == null ? null : last.occurredAt();
    }

    /** Adds what every rule and pattern scores at {@code asOf} (not before {@link #latest}) to {@code out}. */
    void score(Instant asOf, ExplanationBuilder out) {
        for (RuleState rule : rules) {
            if (rule != null) {
                rule.score(asOf, out);
            }
        }
        for (PatternProgress pattern : patterns) {
            if (pattern != null) {
                pattern.score(asOf, out);
            }
        }
    }

    String demoIntent(ModelDefinition.DemoIntent thresholds) {
        return demos.intent(thresholds);
    }
}
