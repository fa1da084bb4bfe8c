package io.leadscore.server.projection;

import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.scoring.ScoreCard;
import org.bson.Document;

import java.time.Instant;

/** Maps a lead's score row to its document in {@code lead_scores} and back. */
final class LeadScoreDocuments {

    private LeadScoreDocuments() {
    }

    static Document toDocument(LeadSnapshot lead) {
        return new Document("_id", lead.leadId())
                .append("fit", lead.score().fit())
                .append("engagement", lead.score().engagement())
                .append("total", lead.score().total())
                .append("modelVersion", lead.score().modelVersion())
                .append("qualifies", lead.score().qualifies())
                .append("fitGrade", lead.score().fitGrade())
                .append("engagementLevel", lead.score().engagementLevel())
                .append("demoIntent", lead.score().demoIntent())
                .append("mayRise", lead.score().mayRise())
                .append("stage", lead.stage().name())
                .append("lastChangedAt", millis(lead.lastChangedAt()))
                .append("lastChangedNanos", lead.lastChangedAt() == null ? 0 : lead.lastChangedAt().getNano())
                .append("version", lead.version())
                .append("mqlAt", lead.mqlAt() == null ? null : lead.mqlAt().toString())
                .append("channel", lead.channel())
                .append("accountDomain", lead.accountDomain())
                .append("slaBreachedAt", lead.slaBreachedAt() == null ? null : lead.slaBreachedAt().toString());
    }

    static LeadSnapshot fromDocument(Document document) {
        ScoreCard score = new ScoreCard(document.getDouble("fit"), document.getDouble("engagement"),
                                        document.getDouble("total"), document.getString("modelVersion"),
                                        document.getBoolean("qualifies"), document.getString("fitGrade"),
                                        document.getInteger("engagementLevel"), document.getString("demoIntent"),
                                        // rows stored before the flag existed: assume the worst, queues score them
                                        document.getBoolean("mayRise", true));
        Long lastChanged = document.getLong("lastChangedAt");
        Instant lastChangedAt = lastChanged == null ? null
                : Instant.ofEpochSecond(Math.floorDiv(lastChanged, 1000), document.getInteger("lastChangedNanos"));
        String mqlAt = document.getString("mqlAt");
        return new LeadSnapshot(document.getString("_id"), score, LeadStage.valueOf(document.getString("stage")),
                                lastChangedAt, document.getLong("version"),
                                mqlAt == null ? null : Instant.parse(mqlAt),
                                document.getString("channel"), document.getString("accountDomain"),
                                document.getString("slaBreachedAt") == null ? null
                                        : Instant.parse(document.getString("slaBreachedAt")));
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
