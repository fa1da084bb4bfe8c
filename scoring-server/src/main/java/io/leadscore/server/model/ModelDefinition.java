package io.leadscore.server.model;

import java.util.List;

/**
 * A scoring model as its document defines it: an id, an immutable version, fit rules, engagement rules and
 * patterns, caps, bands and the MQL rule. {@link ModelParser} builds it from YAML; {@code RuleBasedModel} scores
 * with it.
 *
 * @param id          model id, for example {@code default}
 * @param version     version number, at least 1; a published version never changes
 * @param description what the model is for
 * @param fit         rules on who the lead is
 * @param engagement  rules on what the lead did
 * @param totalFloor  the lowest total score (negative fit cannot push a lead below it)
 * @param bands       grades, levels, demo intent and the MQL rule
 */
public record ModelDefinition(String id,
                              int version,
                              String description,
                              Fit fit,
                              Engagement engagement,
                              double totalFloor,
                              Bands bands,
                              Lifecycle lifecycle,
                              Accounts accounts) {

    /**
     * How an account's contacts roll up.
     *
     * @param rollup max, sum (capped at {@code cap}) or top_n_average (of the {@code topN} most engaged)
     * @param cap    the most a sum may reach
     * @param topN   how many contacts top_n_average averages
     */
    public record Accounts(String rollup, double cap, int topN) {

        public static final Accounts DEFAULT = new Accounts("max", 0, 3);
    }

    /**
     * How the funnel treats leads under this model.
     *
     * @param recycleResetsEngagement whether a recycled lead (rejected, or a lost deal) starts its engagement anew
     * @param mqlSlaHours             hours sales has to accept or reject an MQL; null: no SLA
     * @param iqlRequires             fit fields that, once all known, make a LEAD information qualified (IQL);
     *                                empty: no IQL stage
     * @param recycleCoolDownDays     days after a recycle from which the lead requalifies on everything it earned;
     *                                null: only engagement earned after the recycle counts toward requalifying
     * @param onModelChange           what publishing this model does to the stages leads are in
     */
    public record Lifecycle(boolean recycleResetsEngagement, Double mqlSlaHours, List<FitField> iqlRequires,
                            Double recycleCoolDownDays,
                            io.leadscore.server.scoring.ModelChangePolicy onModelChange) {

        public static final Lifecycle DEFAULT = new Lifecycle(false, null, List.of(), null,
                                                              io.leadscore.server.scoring.ModelChangePolicy.KEEP);
    }

    /** {@code id@version}, the name scores carry. */
    public String versionName() {
        return id + "@" + version;
    }

    /** The profile and account fields fit rules may test. */
    public enum FitField {
        JOB_TITLE, SENIORITY, DEPARTMENT, COMPANY_SIZE, INDUSTRY, ANNUAL_REVENUE_USD, COUNTRY, TECHNOLOGIES,
        INTENT_SIGNALS, EMAIL_DOMAIN, ACCOUNT_DOMAIN, CHANNEL, CAMPAIGN
    }

    /**
     * A capped set of rules: the points of its rules (and of its child groups) together never exceed {@code cap}.
     * With {@code highestOnly}, only the group's highest contribution counts (title and seniority rules that
     * describe the same thing).
     *
     * @param parent the enclosing group, or null
     */
    public record Group(String id, double cap, String parent, boolean highestOnly) {
    }

    public record Fit(List<FitRule> rules, List<Group> groups, List<Exclusion> exclusions) {
    }

    /** Adds {@code points} when {@code field} matches; multi-valued fields match when any value does. */
    public record FitRule(String id, FitField field, ValueMatcher match, double points, String group) {
    }

    /**
     * A lead to treat differently: {@code points} (usually negative) when matched, or, with {@code suppress},
     * a total of zero and never an MQL (competitors, students).
     */
    public record Exclusion(String id, FitField field, ValueMatcher match, double points, boolean suppress) {
    }

    /** Which engagements a rule or pattern step is about: a type and attribute predicates that all must hold. */
    public record EventMatcher(String type, List<AttributePredicate> when) {
    }

    public record AttributePredicate(String attribute, ValueMatcher match) {
    }

    /** How often a rule counts: every time, once, at most N per calendar day (UTC), or at most N per D days. */
    public record Frequency(Kind kind, int max, int perDays) {

        public static final Frequency EVERY_TIME = new Frequency(Kind.EVERY_TIME, 0, 0);

        public enum Kind { EVERY_TIME, ONCE, PER_DAY, PER_WINDOW }
    }

    /**
     * Points per matching engagement. The first rule (in document order) that matches an engagement scores it.
     *
     * @param windowDays   only engagements at most this many days before the scoring time count; null: all
     * @param halfLifeDays points halve every this many days; null: no decay
     */
    public record EngagementRule(String id, EventMatcher match, double points, Frequency frequency,
                                 Integer windowDays, Double halfLifeDays, String group) {
    }

    /** A pattern: points for a combination of engagements, awarded at most once, when it completes. */
    public sealed interface Pattern permits CountPattern, SequencePattern, CombinationPattern {
        String id();

        double points();

        Double halfLifeDays();

        String group();
    }

    /** {@code count} engagements matching {@code match} within {@code withinDays} days. */
    public record CountPattern(String id, EventMatcher match, int count, int withinDays, double points,
                               Double halfLifeDays, String group) implements Pattern {
    }

    /** The steps in this order, within one web session when {@code sameSession}. */
    public record SequencePattern(String id, List<EventMatcher> steps, boolean sameSession, double points,
                                  Double halfLifeDays, String group) implements Pattern {
    }

    /** Every requirement met within {@code withinDays} days. */
    public record CombinationPattern(String id, List<Requirement> requires, int withinDays, double points,
                                     Double halfLifeDays, String group) implements Pattern {
    }

    public record Requirement(EventMatcher match, int count) {
    }

    /**
     * @param cap   the most all engagement points together may add; null: no cap
     * @param floor the least engagement points may add (negative rules cannot push below); null: no floor
     */
    public record Engagement(List<EngagementRule> rules, List<Group> groups, List<Pattern> patterns,
                             Double cap, Double floor) {
    }

    /** Fit grade {@code grade} applies from {@code min} fit points up; grades are listed best first. */
    public record Grade(String grade, double min) {
    }

    /** Engagement level {@code level} applies from {@code min} engagement points up; listed most engaged first. */
    public record Level(int level, double min) {
    }

    /**
     * Demo intent from interactive-demo sessions (as Storylane classifies viewers): each signal reached counts one;
     * {@code highAt} signals make High, {@code mediumAt} make Medium, fewer make Low.
     */
    public record DemoIntent(double minSeconds, double minCompletionPercent, int minDepthSteps, int minReturnVisits,
                             int minCtaClicks, int highAt, int mediumAt) {
    }

    /** One way to be an MQL; every threshold set must hold. */
    public record MqlCondition(String fitGradeAtLeast, Double fitAtLeast, Double engagementAtLeast,
                               Double totalAtLeast) {
    }

    public record Bands(List<Grade> fitGrades, List<Level> engagementLevels, DemoIntent demoIntent,
                        List<MqlCondition> mqlAnyOf) {
    }
}
