package io.leadscore.server.model;

import io.leadscore.server.model.ModelDefinition.AttributePredicate;
import io.leadscore.server.model.ModelDefinition.EventMatcher;
import io.leadscore.server.scoring.EngagementFact;

/** Whether an engagement is of a matcher's type and meets all its attribute predicates. */
final class EventMatching {

    private EventMatching() {
    }

    static boolean matches(EventMatcher matcher, EngagementFact engagement) {
        if (!matcher.type().equals(engagement.type())) {
            return false;
        }
        for (AttributePredicate predicate : matcher.when()) {
            String value = engagement.attributes().get(predicate.attribute());
            if (value == null || !predicate.match().matches(value)) {
                return false;
            }
        }
        return true;
    }
}
