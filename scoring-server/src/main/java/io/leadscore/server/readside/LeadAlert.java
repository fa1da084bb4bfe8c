package io.leadscore.server.readside;

import io.leadscore.server.lead.api.LeadStage;

import java.time.Instant;

/**
 * One alert of a watch.
 *
 * @param kind          what happened
 * @param stage         the lead's stage after it
 * @param previousStage the stage before, for sales transitions and restaging; null otherwise
 * @param cause         "model" for a qualification, a sales transition's name, "model_change", "sla" or
 *                      "interactive_demo"
 * @param totalScore    the total score when it happened
 * @param modelVersion  the model that scored the lead
 * @param at            when it happened
 * @param channel       the lead's acquisition channel; empty when the projection does not know the lead yet
 * @param accountDomain the lead's account domain; empty likewise
 * @param resumeToken   resumes a watch right after this alert
 */
public record LeadAlert(String leadId, Kind kind, LeadStage stage, LeadStage previousStage, String cause,
                        double totalScore, String modelVersion, Instant at, String channel, String accountDomain,
                        String resumeToken) {

    /** What an alert is about. */
    public enum Kind {
        /** The lead entered a new stage. */
        STAGE_CHANGED,
        /** Sales missed the SLA of an MQL. */
        SLA_BREACHED,
        /** An interactive-demo session lifted the lead's demo intent to High. */
        INTENT_HIGH
    }
}
