package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.Exclusion;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTally;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreAdjustment;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.server.scoring.ScoreCeiling;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.ScoreExplanation.Kind;
import io.leadscore.server.scoring.ScoreExplanation.Part;
import io.leadscore.server.scoring.ScoringModel;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The scoring function of a model document: fit rules, engagement rules (windows, frequency, decay), patterns,
 * group and section caps, floors, suppression and bands, as a pure function of (facts, as-of time) that also says
 * why, line by line.
 */
public final class RuleBasedModel implements ScoringModel {

    /** Engagements in time order, ties by event id: the order they arrived in never changes a score. */
    private static final Comparator<EngagementFact> TIME_ORDER = EngagementTally.TIME_ORDER;

    private final ModelDefinition definition;

    public RuleBasedModel(ModelDefinition definition) {
        this.definition = definition;
    }

    public ModelDefinition definition() {
        return definition;
    }

    @Override
    public String version() {
        return definition.versionName();
    }

    /** Firmographic fields: what an account, not a person, is. */
    private static final java.util.Set<ModelDefinition.FitField> FIRMOGRAPHIC = java.util.EnumSet.of(
            ModelDefinition.FitField.COMPANY_SIZE, ModelDefinition.FitField.INDUSTRY,
            ModelDefinition.FitField.ANNUAL_REVENUE_USD, ModelDefinition.FitField.COUNTRY,
            ModelDefinition.FitField.TECHNOLOGIES, ModelDefinition.FitField.INTENT_SIGNALS,
            ModelDefinition.FitField.ACCOUNT_DOMAIN);

    /** The fit of the lead's company alone: the model's fit rules on firmographic fields, with their group caps. */
    public double firmographicFit(LeadFacts facts) {
        ModelDefinition.Fit fit = definition.fit();
        ModelDefinition.Fit firmographic = new ModelDefinition.Fit(
                fit.rules().stream().filter(rule -> FIRMOGRAPHIC.contains(rule.field())).toList(), fit.groups(),
                List.of());
        ExplanationBuilder out = ExplanationBuilder.scoreOnly();
        FitScorer.score(firmographic, facts, out);
        return out.sum(Part.FIT);
    }

    @Override
    public boolean informationQualified(LeadFacts facts) {
        List<ModelDefinition.FitField> required = definition.lifecycle().iqlRequires();
        return !required.isEmpty() && required.stream().allMatch(field -> FitScorer.known(field, facts));
    }

    public ModelDefinition.Accounts accounts() {
        return definition.accounts();
    }

    @Override
    public java.time.Duration mqlSla() {
        Double hours = definition.lifecycle().mqlSlaHours();
        return hours == null ? null : java.time.Duration.ofMillis(Math.round(hours * 3_600_000));
    }

    @Override
    public boolean recycleResetsEngagement() {
        return definition.lifecycle().recycleResetsEngagement();
    }

    @Override
    public io.leadscore.server.scoring.BandScale bandScale() {
        ModelDefinition.Bands bands = definition.bands();
        return new io.leadscore.server.scoring.BandScale() {
            @Override
            public int gradeRank(String grade) {
                for (int i = 0; i < bands.fitGrades().size(); i++) {
                    if (bands.fitGrades().get(i).grade().equalsIgnoreCase(grade)) {
                        return i;
                    }
                }
                return -1;
            }

            @Override
            public int levelRank(int level) {
                for (int i = 0; i < bands.engagementLevels().size(); i++) {
                    if (bands.engagementLevels().get(i).level() == level) {
                        return i;
                    }
                }
                return -1;
            }

            @Override
            public int levelRankOf(double engagement) {
                return levelRank(BandClassifier.engagementLevel(bands, engagement));
            }

            @Override
            public int lowestLevelRank() {
                return bands.engagementLevels().size() - 1;
            }
        };
    }

    @Override
    public java.time.Duration recycleCoolDown() {
        Double days = definition.lifecycle().recycleCoolDownDays();
        return days == null ? null : java.time.Duration.ofMillis(Math.round(days * 86_400_000));
    }

    @Override
    public io.leadscore.server.scoring.ModelChangePolicy onModelChange() {
        return definition.lifecycle().onModelChange();
    }

    /**
     * Manual adjustments count as given, after the model's own caps: a person overriding the model means it.
     * Each says who made it and why.
     */
    private static void adjust(LeadFacts facts, Instant asOf, boolean fit, ExplanationBuilder out) {
        for (ScoreAdjustment adjustment : facts.adjustments()) {
            if (adjustment.toFit() == fit && (adjustment.points() > 0 ? adjustment.effectiveAt().isAfter(asOf)
                                                : adjustment.points() < 0 && adjustment.expiresAt() != null)) {
                out.mayRiseLater(); // a bonus still to come, or a penalty that ends
            }
            if (!fit && !adjustment.toFit() && adjustment.activeAt(asOf)) {
                out.engagementAdjustment(adjustment.points()); // a bonus stays until it expires, never more
            }
            if (adjustment.toFit() == fit && adjustment.activeAt(asOf)) {
                out.add(fit ? Part.FIT : Part.ENGAGEMENT, Kind.ADJUSTMENT, adjustment.adjustmentId(), List.of(),
                        adjustment.effectiveAt(), adjustment.points(), adjustment.points(),
                        () -> "by " + adjustment.actor() + ": " + adjustment.reason()
                        + (adjustment.expiresAt() == null ? "" : " (until " + adjustment.expiresAt() + ")"), null);
            }
        }
    }

    @Override
    public ScoreExplanation explain(LeadFacts facts, Instant asOf) {
        ExplanationBuilder out = ExplanationBuilder.explaining();
        ScoreCard card = evaluate(facts, asOf, out, null);
        return new ScoreExplanation(version(), asOf, out.lines(), card);
    }

    /** The score without its explanation, by the full fold: the reference every tally is held to. */
    @Override
    public ScoreCard score(LeadFacts facts, Instant asOf) {
        return evaluate(facts, asOf, ExplanationBuilder.scoreOnly(), null);
    }

    @Override
    public EngagementTally newTally() {
        return new RuleTally(definition.engagement());
    }

    /**
     * The score from a tally of the lead's engagements, at a cost that does not grow with them: what every fact of
     * every lead asks for. The full fold scores instead when the tally was not kept by this model for exactly these
     * engagements, or when {@code asOf} comes before the latest of them (the tally has let go of what such a time
     * would need).
     */
    @Override
    public ScoreCard score(LeadFacts facts, EngagementTally tally, Instant asOf) {
        RuleTally kept = usable(facts, tally, asOf);
        return kept == null ? score(facts, asOf) : evaluate(facts, asOf, ExplanationBuilder.scoreOnly(), kept);
    }

    /**
     * {@code tally} when this model kept it for exactly the engagements of {@code facts} and {@code asOf} is not
     * before the latest of them; else null, and the full fold must score.
     */
    private RuleTally usable(LeadFacts facts, EngagementTally tally, Instant asOf) {
        return tally instanceof RuleTally kept && kept.keptFor(definition.engagement())
               && kept.size() == facts.engagements().size()
               && (kept.latest() == null || !asOf.isBefore(kept.latest())) ? kept : null;
    }

    /**
     * The explanation from a tally, each rule's engagements summed in one line, at the tally's cost; the full
     * explanation where the tally cannot score (see {@link #score(LeadFacts, EngagementTally, Instant)}).
     */
    @Override
    public ScoreExplanation explainInSums(LeadFacts facts, EngagementTally tally, Instant asOf) {
        RuleTally kept = usable(facts, tally, asOf);
        if (kept == null) {
            return explain(facts, asOf);
        }
        ExplanationBuilder out = ExplanationBuilder.explainingInSums();
        ScoreCard card = evaluate(facts, asOf, out, kept);
        return new ScoreExplanation(version(), asOf, out.lines(), card);
    }

    @Override
    public boolean keeps(EngagementTally tally) {
        return tally instanceof RuleTally kept && kept.keptFor(definition.engagement());
    }

    /** Scores with {@code tally} when given (its engagements and no later ones), else folds every engagement. */
    private ScoreCard evaluate(LeadFacts facts, Instant asOf, ExplanationBuilder out, RuleTally tally) {
        Optional<Exclusion> suppressed = FitScorer.score(definition.fit(), facts, out);
        adjust(facts, asOf, true, out);
        double fit = out.sum(Part.FIT);

        ModelDefinition.Engagement section = definition.engagement();
        String demoIntent;
        if (tally != null) {
            tally.score(asOf, out);
            demoIntent = tally.demoIntent(definition.bands().demoIntent());
        } else {
            List<EngagementFact> engagements = facts.engagements().stream()
                                                    .filter(e -> !e.occurredAt().isAfter(asOf))
                                                    .sorted(TIME_ORDER).toList();
            if (engagements.size() < facts.engagements().size()) {
                out.mayRiseLater(); // engagements after the scored time count once that time has come
            }
            EngagementScorer.score(section.rules(), engagements, asOf, out);
            PatternMatcher.score(section.patterns(), engagements, asOf, out);
            demoIntent = BandClassifier.demoIntent(definition.bands().demoIntent(), engagements);
        }
        out.capGroups(Part.ENGAGEMENT, section.groups());
        double engagement = out.sum(Part.ENGAGEMENT);
        if (section.cap() != null && engagement > section.cap()) {
            out.add(Part.ENGAGEMENT, Kind.CAP, "engagement", List.of(), null, 0, section.cap() - engagement,
                    () -> "engagement capped at " + ExplanationBuilder.format(section.cap()), null);
            engagement = out.sum(Part.ENGAGEMENT);
        }
        if (section.floor() != null && engagement < section.floor()) {
            out.add(Part.ENGAGEMENT, Kind.FLOOR, "engagement", List.of(), null, 0, section.floor() - engagement,
                    () -> "engagement floor " + ExplanationBuilder.format(section.floor()), null);
        }
        adjust(facts, asOf, false, out);
        engagement = out.sum(Part.ENGAGEMENT);

        double total = fit + engagement;
        if (total < definition.totalFloor()) {
            out.add(Part.TOTAL, Kind.FLOOR, "total", List.of(), null, 0, definition.totalFloor() - total,
                    () -> "total floor " + ExplanationBuilder.format(definition.totalFloor()), null);
        }
        if (suppressed.isPresent()) {
            double before = fit + engagement + out.sum(Part.TOTAL);
            out.add(Part.TOTAL, Kind.SUPPRESSION, suppressed.get().id(), List.of(), null, 0, -before,
                    () -> "excluded lead: score suppressed, never an MQL", null);
        }
        total = fit + engagement + out.sum(Part.TOTAL);

        ModelDefinition.Bands bands = definition.bands();
        String grade = BandClassifier.fitGrade(bands, fit);
        int level = BandClassifier.engagementLevel(bands, engagement);
        boolean mql = suppressed.isEmpty() && BandClassifier.mql(bands, fit, engagement, total, grade);
        ScoreCeiling ceiling = out.mayRise() ? null
                : new ScoreCeiling(asOf, section.floor() == null ? Double.NEGATIVE_INFINITY : section.floor(),
                                   out.steadyEngagement(), out.decayingEngagement(), out.longestHalfLife(),
                                   out.engagementBonus(), definition.totalFloor(), suppressed.isPresent(),
                                   fitBonusExpires(facts, asOf));
        return new ScoreCard(fit, engagement, total, version(), mql, grade, level,
                             demoIntent, ceiling);
    }

    /** Whether a fit bonus active at {@code asOf} expires, so that the fit (and its grade) may fall later. */
    private static boolean fitBonusExpires(LeadFacts facts, Instant asOf) {
        for (ScoreAdjustment adjustment : facts.adjustments()) {
            if (adjustment.toFit() && adjustment.points() > 0 && adjustment.expiresAt() != null
                && adjustment.activeAt(asOf)) {
                return true;
            }
        }
        return false;
    }
}
