package io.leadscore.server.scoring;

/** How senior a lead's role is, from individual contributor up to owner. */
public enum Seniority {
    UNKNOWN, INDIVIDUAL_CONTRIBUTOR, MANAGER, DIRECTOR, VP, C_LEVEL, OWNER
}
