package io.leadscore.server.model;

/**
 * One thing wrong with a model document.
 *
 * @param path   where, in document terms: {@code engagement.rules[2].half_life_days}
 * @param reason why, in words a model author can act on
 */
public record ModelProblem(String path, String reason) {

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
