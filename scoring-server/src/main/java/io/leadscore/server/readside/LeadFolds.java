package io.leadscore.server.readside;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.leadscore.server.lead.LeadState;

/**
 * The leads the read side holds folded in memory: one fold per lead, shared by the score projection (which extends
 * it event by event as its processor reads them) and history queries (which extend it with the events stored since,
 * and may so bring it ahead of the processor). Whoever changes or reads a fold holds its lock. Bounded: an evicted
 * lead is folded again from its own events when next needed.
 */
public final class LeadFolds {

    private final Cache<String, LeadState> folds;

    public LeadFolds(int cachedLeads) {
        this.folds = Caffeine.newBuilder().maximumSize(cachedLeads).build();
    }

    /** The lead's fold, or null when none is held. */
    LeadState get(String leadId) {
        return folds.getIfPresent(leadId);
    }

    /**
     * Holds {@code fold} for the lead, unless the fold already held has come further: two folds built at once (a
     * query and the processor) keep the more advanced one, so that neither has to fold the lead again.
     */
    void offer(String leadId, LeadState fold) {
        folds.asMap().merge(leadId, fold, (held, offered) -> version(held) >= version(offered) ? held : offered);
    }

    /** Holds {@code fold} for the lead, replacing any other. */
    void put(String leadId, LeadState fold) {
        folds.put(leadId, fold);
    }

    /** Drops the lead's fold if it is still {@code fold}. */
    void forget(String leadId, LeadState fold) {
        folds.asMap().remove(leadId, fold);
    }

    /** Drops every fold: they were folded under a model that is no longer active, or are being replaced. */
    void forgetAll() {
        folds.invalidateAll();
    }

    private static long version(LeadState fold) {
        synchronized (fold) {
            return fold.version();
        }
    }
}
