package io.leadscore.server.model;

import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTally;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A lead's engagements as a rule-based model's score needs them, kept so that scoring after a new engagement costs
 * the rules it touches instead of the whole history ({@link EngagementScorer} and {@link PatternMatcher} stay the
 * reference, and explain line by line):
 * <ul>
 *   <li>a rule without a window keeps what its frequency limit can still see and a running decayed sum
 *       ({@link OpenRuleState});</li>
 *   <li>a rule with a window keeps the times inside the window of the latest one, with prefix sums of their decayed
 *       weights, and picks when scoring which of them count ({@link WindowedRuleState});</li>
 *   <li>a pattern keeps its progress ({@link PatternProgress}).</li>
 * </ul>
 * Facts no rule can look at again are not kept. Sums are added in another order than the fold's lines, so scores
 * agree with the fold to rounding, not to the bit (the property test states the bound).
 *
 * <p>Engagements of one lead sent at once often arrive a little out of order. The tally keeps a checkpoint of its
 * state every {@value #CHECKPOINT_EVERY} engagements and the engagements since, in time order: one that comes before
 * some of those is put in its place and the few after it are taken again from the checkpoint. Only an engagement
 * from before the checkpoint is refused, and the lead's owner then builds a new tally from all of them.
 */
final class RuleTally implements EngagementTally {

    /** Engagements between checkpoints: out-of-order arrivals within this many cost at most this many steps. */
    static final int CHECKPOINT_EVERY = 64;

    private final ModelDefinition.Engagement section;
    private TallyState live;
    /** The state before the engagements in {@link #sinceCheckpoint}; null: the empty state. */
    private TallyState checkpoint;
    private List<EngagementFact> sinceCheckpoint = new ArrayList<>();

    RuleTally(ModelDefinition.Engagement section) {
        this.section = section;
        this.live = new TallyState(section);
    }

    /** Whether this tally was kept for {@code engagement}: the section of the very model that made it. */
    boolean keptFor(ModelDefinition.Engagement engagement) {
        return section == engagement;
    }

    @Override
    public boolean add(EngagementFact engagement) {
        if (live.takes(engagement)) {
            live.add(engagement);
            sinceCheckpoint.add(engagement);
        } else {
            if (checkpoint != null && !checkpoint.takes(engagement)) {
                return false;
            }
            int at = 0;
            while (at < sinceCheckpoint.size() && TIME_ORDER.compare(sinceCheckpoint.get(at), engagement) <= 0) {
                at++;
            }
            sinceCheckpoint.add(at, engagement);
            live = checkpoint == null ? new TallyState(section) : checkpoint.copy();
            sinceCheckpoint.forEach(live::add);
        }
        // Either way live now holds every engagement: a checkpoint may be taken after an early one too.
        if (sinceCheckpoint.size() >= CHECKPOINT_EVERY) {
            checkpoint = live.copy();
            sinceCheckpoint = new ArrayList<>();
        }
        return true;
    }

    @Override
    public int size() {
        return live.size();
    }

    @Override
    public Instant latest() {
        return live.latest();
    }

    /** Adds what every rule and pattern scores at {@code asOf} (not before {@link #latest}) to {@code out}. */
    void score(Instant asOf, ExplanationBuilder out) {
        live.score(asOf, out);
    }

    String demoIntent(ModelDefinition.DemoIntent thresholds) {
        return live.demoIntent(thresholds);
    }
}
