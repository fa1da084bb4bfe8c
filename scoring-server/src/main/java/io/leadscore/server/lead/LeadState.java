package io.leadscore.server.lead;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.ProfileUpdated;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoringModel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A lead folded from its events: the one place that says what each event means. The {@link Lead} aggregate and the
 * score projection both fold with it, so both compute the same facts and hence the same score.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class LeadState {

    private String leadId;
    private LeadRegistered registration;
    private FitProfile profile = FitProfile.EMPTY;
    private List<EngagementFact> engagements = new ArrayList<>();
    private Set<String> engagementIds = new HashSet<>();
    private LeadStage stage;
    private Instant mqlAt;
    private Instant lastChangedAt;
    private long version = -1;

    /** Applies one stored event with its sequence number; unknown event types only advance the version. */
    public void apply(Object event, long sequenceNumber) {
        if (event instanceof LeadRegistered registered) {
            leadId = registered.leadId();
            registration = registered;
            stage = LeadStage.LEAD;
            touch(registered.registeredAt());
        } else if (event instanceof ProfileUpdated updated) {
            profile = updated.profile();
            touch(updated.updatedAt());
        } else if (event instanceof EngagementRecorded recorded) {
            engagements.add(recorded.engagement());
            engagementIds.add(recorded.engagement().eventId());
            touch(recorded.engagement().occurredAt());
        } else if (event instanceof LeadQualified qualified) {
            stage = LeadStage.MQL;
            mqlAt = qualified.qualifiedAt();
        }
        version = sequenceNumber;
    }

    private void touch(Instant factTime) {
        if (lastChangedAt == null || factTime.isAfter(lastChangedAt)) {
            lastChangedAt = factTime;
        }
    }

    public boolean isRegistered() {
        return registration != null;
    }

    public LeadRegistered registration() {
        return registration;
    }

    public boolean hasEngagement(String eventId) {
        return engagementIds.contains(eventId);
    }

    public LeadStage stage() {
        return stage;
    }

    public long version() {
        return version;
    }

    /** The facts the scoring model reads. */
    public LeadFacts facts() {
        String email = registration == null ? "" : Objects.requireNonNullElse(registration.email(), "");
        String emailDomain = email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
        String accountDomain = registration == null ? "" : registration.accountDomain();
        return new LeadFacts(emailDomain, accountDomain, profile, Collections.unmodifiableList(engagements));
    }

    /**
     * The lead's score and stage. Scores are computed as of the lead's latest fact, so a replay computes exactly
     * what the live path computed.
     */
    public LeadSnapshot snapshot(ScoringModel model) {
        return new LeadSnapshot(leadId,
                                model.score(facts(), lastChangedAt == null ? Instant.EPOCH : lastChangedAt),
                                stage,
                                lastChangedAt,
                                version,
                                mqlAt,
                                registration == null ? "" : registration.channel(),
                                registration == null ? "" : registration.accountDomain());
    }

    public Instant lastChangedAt() {
        return lastChangedAt;
    }
}
