package io.leadscore.server.grpc;

import io.leadscore.v1.LeadScore;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The last GetScore answers, one per slot of a small direct-mapped table: an answer is a function of the lead, its
 * version, the model and the millisecond it is scored as of, so a lead asked for many times within one millisecond
 * (a hot lead: a dashboard, a bot) is scored once, and the other calls neither take the lead's lock nor build the
 * message again. Bounded by its slots; a miss costs one array read.
 */
final class ScoreNowAnswers {

    private record Answer(String leadId, long version, String model, Instant asOf, LeadScore score) {
    }

    private static final int SLOTS = 4096;

    private final AtomicReferenceArray<Answer> answers = new AtomicReferenceArray<>(SLOTS);

    /** The answer for this lead, version, model and time, computed by {@code score} unless held. */
    LeadScore get(String leadId, long version, String model, Instant asOf, Supplier<LeadScore> score) {
        int slot = leadId.hashCode() & (SLOTS - 1);
        Answer held = answers.get(slot);
        if (held != null && held.version() == version && held.asOf().equals(asOf) && held.leadId().equals(leadId)
            && held.model().equals(model)) {
            return held.score();
        }
        LeadScore computed = score.get();
        answers.set(slot, new Answer(leadId, version, model, asOf, computed));
        return computed;
    }
}
