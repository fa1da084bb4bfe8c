package io.leadscore.server.scoring;

import java.time.Instant;

/**
 * What a scoring model keeps of one lead's engagements so that scoring the lead after a new one costs the rules the
 * engagement touches, not the lead's whole history: running decayed sums per rule, the times a frequency limit or a
 * window can still see, the progress of each pattern. Made by {@link ScoringModel#newTally()} and read by
 * {@link ScoringModel#score(LeadFacts, EngagementTally, Instant)}, which scores as the full fold would (the fold stays
 * the reference: a property test holds the two equal).
 *
 * <p>Engagements are added in time order (ties by event id), as a live lead mostly receives them; one that comes
 * before an engagement already added is refused, and the caller builds a new tally from all of them, sorted.
 * Not thread-safe: its owner (a folded lead) guards it.
 */
public interface EngagementTally {

    /** The order a tally takes engagements in: by time, ties by event id, as the fold orders them. */
    java.util.Comparator<EngagementFact> TIME_ORDER =
            java.util.Comparator.comparing(EngagementFact::occurredAt).thenComparing(EngagementFact::eventId);

    /**
     * Adds the engagement when it does not come before any added one ({@link #TIME_ORDER}); answers false, and
     * changes nothing, when it does.
     */
    boolean add(EngagementFact engagement);

    /** How many engagements were added. */
    int size();

    /** The time of the latest engagement added, or null before the first. */
    Instant latest();

    /** A tally that keeps nothing: the model folds every engagement each time it scores (models without one). */
    EngagementTally NONE = new EngagementTally() {
        @Override
        public boolean add(EngagementFact engagement) {
            return true;
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public Instant latest() {
            return null;
        }
    };
}
