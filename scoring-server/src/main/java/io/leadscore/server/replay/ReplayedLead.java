package io.leadscore.server.replay;

import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.LeadStage;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * One lead of a replay: its fold under each replayed model, and the total score each model gave it after every
 * fact (the trail threshold sweeps read).
 */
public final class ReplayedLead {

    /** Stages that mean sales took the lead: reaching any of them is a conversion. */
    private static final Set<LeadStage> CONVERTED = EnumSet.of(LeadStage.SQL, LeadStage.OPPORTUNITY, LeadStage.CUSTOMER);

    private final LeadRegistered registration;
    private final LeadState[] states;
    private long[] factTimes = new long[8];
    private double[][] totals;
    private int facts;

    ReplayedLead(LeadRegistered registration, int models, LeadState.Stages stages) {
        this.registration = registration;
        this.states = new LeadState[models];
        this.totals = new double[models][8];
        for (int i = 0; i < models; i++) {
            states[i] = stages == LeadState.Stages.DERIVED ? LeadState.derivingStages() : new LeadState();
        }
    }

    public String leadId() {
        return registration.leadId();
    }

    public LeadRegistered registration() {
        return registration;
    }

    /** The lead folded under the model at {@code index} in the replay's list. */
    public LeadState state(int index) {
        return states[index];
    }

    LeadState[] states() {
        return states;
    }

    /** Notes every model's total after a fact at {@code at}. */
    void recordFact(Instant at) {
        if (facts == factTimes.length) {
            factTimes = Arrays.copyOf(factTimes, facts * 2);
            for (int i = 0; i < totals.length; i++) {
                totals[i] = Arrays.copyOf(totals[i], facts * 2);
            }
        }
        factTimes[facts] = at.toEpochMilli();
        for (int i = 0; i < states.length; i++) {
            totals[i][facts] = states[i].snapshot().score().total();
        }
        facts++;
    }

    /** The highest total the model gave the lead after a fact before {@code limit} (exclusive), or 0. */
    public double peakTotalBefore(int model, Instant limit) {
        long bound = limit.toEpochMilli();
        double peak = 0;
        for (int i = 0; i < facts; i++) {
            if (factTimes[i] < bound) {
                peak = Math.max(peak, totals[model][i]);
            }
        }
        return peak;
    }

    /** When sales first took the lead (SQL or later, by a transition or an imported outcome), or null. */
    public Instant convertedAt() {
        return firstRecorded(CONVERTED);
    }

    /** When the lead first became a customer, or null. */
    public Instant wonAt() {
        return firstRecorded(EnumSet.of(LeadStage.CUSTOMER));
    }

    /** When the model first made the lead an MQL, or null. */
    public Instant mqlAt(int model) {
        return states[model].stageHistory().stream()
                            .filter(entry -> entry.stage() == LeadStage.MQL && entry.cause().equals("MODEL"))
                            .map(LeadState.StageEntry::at).min(Instant::compareTo).orElse(null);
    }

    /** The earliest entry into one of {@code stages} that a person or another system decided (not a model). */
    private Instant firstRecorded(Set<LeadStage> stages) {
        return states[0].stageHistory().stream()
                        .filter(entry -> stages.contains(entry.stage()) && !entry.cause().equals("MODEL"))
                        .map(LeadState.StageEntry::at).min(Instant::compareTo).orElse(null);
    }
}
