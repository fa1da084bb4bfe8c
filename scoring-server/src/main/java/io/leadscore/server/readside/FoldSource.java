package io.leadscore.server.readside;

import io.leadscore.server.lead.LeadState;

import java.util.Optional;
import java.util.function.Function;

/** Somewhere leads are already folded (the score projection), which a reader may use instead of the store. */
public interface FoldSource {

    /** No folds anywhere: every read folds from the store. */
    FoldSource NONE = new FoldSource() {
        @Override
        public <T> Optional<T> readFold(String leadId, long version, Function<LeadState, T> reader) {
            return Optional.empty();
        }
    };

    /**
     * Applies {@code reader} to the lead's fold, if one is held that has reached {@code version} under the active
     * model, with nothing applied to the fold meanwhile; empty otherwise.
     */
    <T> Optional<T> readFold(String leadId, long version, Function<LeadState, T> reader);
}
