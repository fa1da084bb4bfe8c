package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.Exclusion;
import io.leadscore.server.model.ModelDefinition.FitField;
import io.leadscore.server.model.ModelDefinition.FitRule;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreExplanation.Kind;
import io.leadscore.server.scoring.ScoreExplanation.Part;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Scores who a lead is: fit rules, fit group caps and exclusions. */
final class FitScorer {

    private FitScorer() {
    }

    /** Adds the fit lines; returns the exclusion that suppresses the score, if one matched. */
    static Optional<Exclusion> score(ModelDefinition.Fit fit, LeadFacts facts, ExplanationBuilder out) {
        for (FitRule rule : fit.rules()) {
            String value = matchingValue(rule.field(), rule.match(), facts);
            if (value != null) {
                out.add(Part.FIT, Kind.FIT_RULE, rule.id(), List.of(), null, rule.points(), rule.points(),
                        () -> field(rule.field()) + " '" + value + "' matches", rule.group());
            }
        }
        out.capGroups(Part.FIT, fit.groups());
        Exclusion suppressing = null;
        for (Exclusion exclusion : fit.exclusions()) {
            String value = matchingValue(exclusion.field(), exclusion.match(), facts);
            if (value == null) {
                continue;
            }
            if (exclusion.points() != 0) {
                out.add(Part.FIT, Kind.EXCLUSION, exclusion.id(), List.of(), null, exclusion.points(),
                        exclusion.points(), () -> field(exclusion.field()) + " '" + value + "' is excluded", null);
            }
            if (exclusion.suppress() && suppressing == null) {
                suppressing = exclusion;
            }
        }
        return Optional.ofNullable(suppressing);
    }

    /** Whether the lead's facts hold a value for the field. */
    static boolean known(FitField field, LeadFacts facts) {
        return values(field, facts).stream().anyMatch(value -> !value.isEmpty()
                                                               && !value.equals("unknown"));
    }

    /**
     * The first value of the field that matches, or null; multi-valued fields match on any value. A plain loop:
     * every score of every lead runs it once per rule.
     */
    private static String matchingValue(FitField field, ValueMatcher match, LeadFacts facts) {
        for (String value : values(field, facts)) {
            if (!value.isEmpty() && match.matches(value)) {
                return value;
            }
        }
        return null;
    }

    private static List<String> values(FitField field, LeadFacts facts) {
        FitProfile profile = facts.profile();
        return switch (field) {
            case JOB_TITLE -> List.of(profile.jobTitle());
            case SENIORITY -> List.of(profile.seniority().name().toLowerCase(Locale.ROOT));
            case DEPARTMENT -> List.of(profile.department());
            case COMPANY_SIZE -> profile.companySize() == 0 ? List.of() : List.of(String.valueOf(profile.companySize()));
            case INDUSTRY -> List.of(profile.industry());
            case ANNUAL_REVENUE_USD -> profile.annualRevenueUsd() == 0 ? List.of()
                    : List.of(String.valueOf(profile.annualRevenueUsd()));
            case COUNTRY -> List.of(profile.country());
            case TECHNOLOGIES -> profile.technologies();
            case INTENT_SIGNALS -> profile.intentSignals();
            case EMAIL_DOMAIN -> List.of(facts.emailDomain());
            case ACCOUNT_DOMAIN -> List.of(facts.accountDomain());
            case CHANNEL -> List.of(facts.channel());
            case CAMPAIGN -> List.of(facts.campaign());
        };
    }

    private static String field(FitField field) {
        return field.name().toLowerCase(Locale.ROOT);
    }
}
