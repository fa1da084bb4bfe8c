package io.leadscore.server.lead.api;

import io.leadscore.server.privacy.Erased;
import io.leadscore.server.privacy.PersonalData;

/**
 * What sales confirmed when accepting a lead.
 *
 * @param budget    budget, as sales noted it
 * @param authority who decides
 * @param need      the need
 * @param timeline  when they buy
 */
public record Bant(@PersonalData String budget, @PersonalData String authority, @PersonalData String need,
                   @PersonalData String timeline) {

    /** What BANT reads as once its lead was erased. */
    public static final Bant ERASED = new Bant(Erased.VALUE, Erased.VALUE,
                                               Erased.VALUE, Erased.VALUE);
}
