package io.leadscore.server.lead.api;

/**
 * What sales confirmed when accepting a lead.
 *
 * @param budget    budget, as sales noted it
 * @param authority who decides
 * @param need      the need
 * @param timeline  when they buy
 */
public record Bant(String budget, String authority, String need, String timeline) {
}
