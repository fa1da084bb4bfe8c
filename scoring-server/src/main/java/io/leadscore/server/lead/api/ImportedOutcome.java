package io.leadscore.server.lead.api;

/** An outcome decided in another system (a CRM), and the stage it puts the lead in. */
public enum ImportedOutcome {
    SQL(LeadStage.SQL),
    OPPORTUNITY(LeadStage.OPPORTUNITY),
    WON(LeadStage.CUSTOMER),
    LOST(LeadStage.RECYCLED),
    DISQUALIFIED(LeadStage.DISQUALIFIED);

    private final LeadStage stage;

    ImportedOutcome(LeadStage stage) {
        this.stage = stage;
    }

    public LeadStage stage() {
        return stage;
    }
}
