package io.leadscore.server.analytics;

/** How a funnel report groups its leads. */
public enum FunnelGrouping {
    /** By acquisition channel. */
    CHANNEL,
    /** By campaign. */
    CAMPAIGN,
    /** By month of registration ("2018-03"). */
    MONTH
}
