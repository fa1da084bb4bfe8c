package io.leadscore.server.scoring;

/**
 * The order of a model's bands, best first: which fit grade and engagement level are better than which, and the
 * level a number of engagement points falls in. Queues use it to tell which leads can still reach a band.
 */
public interface BandScale {

    /** The grade's place, 0 for the best; -1 for a grade the model does not have. */
    int gradeRank(String grade);

    /** The level's place, 0 for the most engaged; -1 for a level the model does not have. */
    int levelRank(int level);

    /** The place of the level {@code engagement} points fall in. */
    int levelRankOf(double engagement);

    /** The place of the least engaged level, which every engagement below the others falls in. */
    int lowestLevelRank();
}
