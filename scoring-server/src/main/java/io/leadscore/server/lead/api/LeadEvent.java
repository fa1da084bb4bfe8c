package io.leadscore.server.lead.api;

/**
 * Every event a lead's stream holds: facts about the lead (registration, profile, engagement, adjustments,
 * outcomes from other systems), decisions (sales transitions, erasure) and what the lead's rules recorded
 * (qualifications, SLA breaches, changes of stage after a model change). Sealed, so that a fold that handles each of
 * them is checked by the compiler. Each record keeps its package and name: the store holds events by class name.
 */
public sealed interface LeadEvent
        permits LeadRegistered, ProfileUpdated, EngagementRecorded, ScoreAdjusted, LeadTransitioned,
                OutcomeImported, SlaBreached, LeadInformationQualified, LeadQualified, LeadRestaged, LeadErased {

    /** The lead whose stream holds the event (the aggregate id). */
    String leadId();
}
