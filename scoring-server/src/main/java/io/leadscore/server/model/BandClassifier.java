package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.Bands;
import io.leadscore.server.model.ModelDefinition.DemoIntent;
import io.leadscore.server.model.ModelDefinition.Grade;
import io.leadscore.server.model.ModelDefinition.Level;
import io.leadscore.server.model.ModelDefinition.MqlCondition;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.EngagementTypes;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Grades, levels, demo intent and the MQL rule of a model, applied to computed points. */
final class BandClassifier {

    /** Interactive-demo attributes the demo-intent signals read. */
    static final String SECONDS = "seconds";
    static final String COMPLETION = "completion_percent";
    static final String STEPS = "steps_viewed";
    static final String CTA_CLICKS = "cta_clicks";

    private BandClassifier() {
    }

    /** The best grade whose minimum the fit reaches; the last grade otherwise. */
    static String fitGrade(Bands bands, double fit) {
        for (Grade grade : bands.fitGrades()) {
            if (fit >= grade.min()) {
                return grade.grade();
            }
        }
        return bands.fitGrades().get(bands.fitGrades().size() - 1).grade();
    }

    /** The most engaged level whose minimum the engagement reaches; the last level otherwise. */
    static int engagementLevel(Bands bands, double engagement) {
        for (Level level : bands.engagementLevels()) {
            if (engagement >= level.min()) {
                return level.level();
            }
        }
        return bands.engagementLevels().get(bands.engagementLevels().size() - 1).level();
    }

    static boolean mql(Bands bands, double fit, double engagement, double total, String grade) {
        for (MqlCondition condition : bands.mqlAnyOf()) {
            boolean holds = (condition.fitGradeAtLeast() == null || gradeRank(bands, grade) <= gradeRank(bands,
                                                                                       condition.fitGradeAtLeast()))
                            && (condition.fitAtLeast() == null || fit >= condition.fitAtLeast())
                            && (condition.engagementAtLeast() == null || engagement >= condition.engagementAtLeast())
                            && (condition.totalAtLeast() == null || total >= condition.totalAtLeast());
            if (holds) {
                return true;
            }
        }
        return false;
    }

    private static int gradeRank(Bands bands, String grade) {
        for (int i = 0; i < bands.fitGrades().size(); i++) {
            if (bands.fitGrades().get(i).grade().equals(grade)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /**
     * Demo intent from interactive-demo sessions: the longest time, best completion and deepest visit of any
     * session, return visits (sessions after the first) and CTA clicks in all; each signal reached counts one.
     */
    static String demoIntent(DemoIntent thresholds, List<EngagementFact> engagements) {
        DemoTally tally = new DemoTally();
        engagements.forEach(tally::add);
        return tally.intent(thresholds);
    }

    /**
     * The demo-intent signals of a lead's interactive demos, added one engagement at a time in time order, so that a
     * fold of all engagements and a running tally compute the very same numbers.
     */
    static final class DemoTally {
        private int demos;
        private double seconds;
        private double completion;
        private double steps;
        private double clicks;
        private Set<String> sessions;

        DemoTally copy() {
            DemoTally copy = new DemoTally();
            copy.demos = demos;
            copy.seconds = seconds;
            copy.completion = completion;
            copy.steps = steps;
            copy.clicks = clicks;
            copy.sessions = sessions == null ? null : new HashSet<>(sessions);
            return copy;
        }

        void add(EngagementFact engagement) {
            if (!EngagementTypes.INTERACTIVE_DEMO.equals(engagement.type())) {
                return;
            }
            demos++;
            seconds = Math.max(seconds, number(engagement.attribute(SECONDS)));
            completion = Math.max(completion, number(engagement.attribute(COMPLETION)));
            steps = Math.max(steps, number(engagement.attribute(STEPS)));
            clicks += number(engagement.attribute(CTA_CLICKS));
            if (sessions == null) {
                sessions = new HashSet<>();
            }
            sessions.add(engagement.sessionId().isEmpty() ? engagement.eventId() : engagement.sessionId());
        }

        String intent(DemoIntent thresholds) {
            if (thresholds == null || demos == 0) {
                return "NONE";
            }
            int signals = (seconds >= thresholds.minSeconds() ? 1 : 0)
                          + (completion >= thresholds.minCompletionPercent() ? 1 : 0)
                          + (steps >= thresholds.minDepthSteps() ? 1 : 0)
                          + (sessions.size() - 1 >= thresholds.minReturnVisits() ? 1 : 0)
                          + (clicks >= thresholds.minCtaClicks() ? 1 : 0);
            if (signals >= thresholds.highAt()) {
                return "HIGH";
            }
            return signals >= thresholds.mediumAt() ? "MEDIUM" : "LOW";
        }
    }

    /** A signal's number; what is not a finite number counts as nothing (ingest refuses NaN and infinities). */
    private static double number(String value) {
        try {
            double number = value.isEmpty() ? 0 : Double.parseDouble(value);
            return Double.isFinite(number) ? number : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
