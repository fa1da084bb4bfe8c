package io.leadscore.server.scoring;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in model, taken from the lead-scoring seeds until the model language (issue 3) replaces it.
 *
 * <p>Weights follow the common B2B practice the seeds describe: buying-intent actions (demo request, trial, pricing
 * page) weigh most, research actions (downloads, webinars, videos) weigh moderately, and passive touches (a blog
 * visit, an e-mail open, a social follow) are worth little and capped, so that volume alone cannot make an MQL.
 * A C-level title is worth +20; personal e-mail domains and students are negative fit.
 *
 * <p>MQL rule: total score of at least {@value #MQL_THRESHOLD}, for example a VP (+15) at a 200-person company (+10)
 * who requested a demo (+30) and viewed the pricing page (+10).
 */
public final class DefaultScoringModel implements ScoringModel {

    public static final String VERSION = "default@1";
    public static final double MQL_THRESHOLD = 60;
    static final double ENGAGEMENT_CAP = 100;

    private static final Pattern C_LEVEL_TITLE =
            Pattern.compile("\\b(ceo|cto|cfo|coo|cmo|cio|cro|chief|founder|owner|president)\\b");
    private static final Pattern VP_TITLE = Pattern.compile("\\b(vp|svp|evp|vice president)\\b");
    private static final Pattern DIRECTOR_TITLE = Pattern.compile("\\b(director|head of)\\b");
    private static final Pattern MANAGER_TITLE = Pattern.compile("\\b(manager|lead)\\b");
    private static final Pattern STUDENT_TITLE = Pattern.compile("\\b(student|intern|trainee)\\b");
    private static final Set<String> PERSONAL_EMAIL_DOMAINS = Set.of(
            "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "aol.com",
            "icloud.com", "gmx.de", "gmx.net", "web.de", "mail.ru", "yandex.ru", "proton.me", "protonmail.com");

    /** Points per engagement and the most one kind of engagement may add in total. */
    private record EngagementRule(double points, double cap) {
    }

    private static final Map<String, EngagementRule> RULES = Map.ofEntries(
            Map.entry("pricing_page_view", new EngagementRule(10, 30)),
            Map.entry(EngagementTypes.PAGE_VIEW, new EngagementRule(1, 10)),
            Map.entry(EngagementTypes.CONTENT_DOWNLOAD, new EngagementRule(5, 20)),
            Map.entry(EngagementTypes.WEBINAR_REGISTERED, new EngagementRule(5, 10)),
            Map.entry(EngagementTypes.WEBINAR_ATTENDED, new EngagementRule(10, 20)),
            Map.entry(EngagementTypes.TRIAL_STARTED, new EngagementRule(25, 25)),
            Map.entry(EngagementTypes.DEMO_REQUESTED, new EngagementRule(30, 30)),
            Map.entry("video_completed", new EngagementRule(5, 15)),
            Map.entry(EngagementTypes.VIDEO_WATCHED, new EngagementRule(3, 9)),
            Map.entry(EngagementTypes.FORM_SUBMITTED, new EngagementRule(10, 20)),
            Map.entry(EngagementTypes.EMAIL_OPENED, new EngagementRule(1, 5)),
            Map.entry(EngagementTypes.EMAIL_CLICKED, new EngagementRule(3, 15)),
            Map.entry(EngagementTypes.CART_ADDED, new EngagementRule(8, 16)),
            Map.entry(EngagementTypes.INTERACTIVE_DEMO, new EngagementRule(8, 24)),
            Map.entry(EngagementTypes.SOCIAL_FOLLOW, new EngagementRule(1, 1)));

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public ScoreCard score(LeadFacts facts, Instant asOf) {
        double fit = fit(facts);
        double engagement = engagement(facts.engagements(), asOf);
        return new ScoreCard(fit, engagement, VERSION, fit + engagement >= MQL_THRESHOLD);
    }

    static double fit(LeadFacts facts) {
        FitProfile profile = facts.profile();
        String title = profile.jobTitle().toLowerCase(Locale.ROOT);
        double points = Math.max(seniorityPoints(profile.seniority()), titlePoints(title));
        points += companySizePoints(profile.companySize());
        if (profile.annualRevenueUsd() >= 10_000_000L) {
            points += 5;
        }
        points += Math.min(10, 5 * profile.intentSignals().stream()
                                             .filter(Set.of("funding", "hiring", "tech_stack_change")::contains)
                                             .distinct().count());
        if (PERSONAL_EMAIL_DOMAINS.contains(facts.emailDomain())) {
            points -= 10;
        }
        if (STUDENT_TITLE.matcher(title).find()) {
            points -= 20;
        }
        return points;
    }

    private static double seniorityPoints(Seniority seniority) {
        return switch (seniority) {
            case C_LEVEL, OWNER -> 20;
            case VP -> 15;
            case DIRECTOR -> 10;
            case MANAGER -> 5;
            case INDIVIDUAL_CONTRIBUTOR, UNKNOWN -> 0;
        };
    }

    private static double titlePoints(String title) {
        if (C_LEVEL_TITLE.matcher(title).find()) {
            return 20;
        }
        if (VP_TITLE.matcher(title).find()) {
            return 15;
        }
        if (DIRECTOR_TITLE.matcher(title).find()) {
            return 10;
        }
        return MANAGER_TITLE.matcher(title).find() ? 5 : 0;
    }

    private static double companySizePoints(int employees) {
        if (employees >= 1000) {
            return 15;
        }
        if (employees >= 50) {
            return 10;
        }
        return employees >= 10 ? 5 : 0;
    }

    static double engagement(List<EngagementFact> engagements, Instant asOf) {
        Map<String, Double> perRule = new HashMap<>();
        for (EngagementFact engagement : engagements) {
            if (engagement.occurredAt().isAfter(asOf)) {
                continue;
            }
            String rule = ruleFor(engagement);
            EngagementRule weights = RULES.get(rule);
            perRule.merge(rule, weights.points(), (sum, points) -> Math.min(weights.cap(), sum + points));
        }
        double total = perRule.values().stream().mapToDouble(Double::doubleValue).sum();
        return Math.min(ENGAGEMENT_CAP, total);
    }

    private static String ruleFor(EngagementFact engagement) {
        if (EngagementTypes.PAGE_VIEW.equals(engagement.type())
            && "pricing".equalsIgnoreCase(engagement.attribute("page_category"))) {
            return "pricing_page_view";
        }
        if (EngagementTypes.VIDEO_WATCHED.equals(engagement.type())
            && percent(engagement.attribute("percent_watched")) >= 90) {
            return "video_completed";
        }
        return engagement.type();
    }

    private static double percent(String value) {
        try {
            return value.isEmpty() ? 0 : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
