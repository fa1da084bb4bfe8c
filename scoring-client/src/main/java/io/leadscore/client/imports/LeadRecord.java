package io.leadscore.client.imports;

import io.leadscore.v1.Engagement;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.UpdateProfileRequest;

import java.util.List;

/**
 * Everything an import knows about one lead, from one row (or a row and its related rows): sent in this order, so
 * the events carry their original times in the order they happened.
 *
 * @param line        the source line, for rejections
 * @param registration the lead
 * @param engagements  its engagements, each with a stable event id so a second import finds them stored
 * @param profile      its fit data, or null
 * @param outcomes     what became of it, decided elsewhere
 */
public record LeadRecord(long line,
                         RegisterLeadRequest registration,
                         List<Engagement> engagements,
                         UpdateProfileRequest profile,
                         List<ImportOutcomeRequest> outcomes) {

    public LeadRecord {
        engagements = List.copyOf(engagements);
        outcomes = List.copyOf(outcomes);
    }

    public String leadId() {
        return registration.getLeadId();
    }
}
