package io.leadscore.server.scoring;

/** What publishing a model does to the stages leads are in (a model's {@code lifecycle.on_model_change}). */
public enum ModelChangePolicy {
    /** Stages stay as recorded; the new rule applies from each lead's next fact. */
    KEEP,
    /**
     * At publish time, unanswered MQLs that fail the new rule go back to nurture (IQL when their profile says so,
     * else LEAD) and leads in an automatic stage that pass it become MQLs, each recorded as a transition.
     */
    REQUALIFY
}
