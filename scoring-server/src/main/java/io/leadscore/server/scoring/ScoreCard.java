package io.leadscore.server.scoring;

/**
 * The result of scoring one lead with one model at one time.
 *
 * @param fit          fit points
 * @param engagement   engagement points after caps
 * @param modelVersion the model, as {@code id@version}
 * @param qualifies    whether the lead meets the model's MQL rule
 */
public record ScoreCard(double fit, double engagement, String modelVersion, boolean qualifies) {

    /** Fit plus engagement. */
    public double total() {
        return fit + engagement;
    }
}
