package io.leadscore.server.readside;

import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.server.scoring.ScoreCeiling;
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
                .append("ceiling", ceiling(lead.score().ceiling()))
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
                                        // rows stored before ceilings existed have none: queues score them
                                        ceiling(document.get("ceiling")));
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

    private static Document ceiling(ScoreCeiling ceiling) {
        if (ceiling == null) {
            return null;
        }
        return new Document("from", ceiling.from().toString())
                .append("engagementFloor", finiteOrNull(ceiling.engagementFloor()))
                .append("steady", ceiling.steadyEngagement()).append("decaying", ceiling.decayingEngagement())
                .append("halfLife", ceiling.longestHalfLife()).append("bonus", ceiling.engagementBonus())
                .append("totalFloor", finiteOrNull(ceiling.totalFloor()))
                .append("suppressed", ceiling.suppressed()).append("fitMayFall", ceiling.fitMayFall());
    }

    /** Read as a map: the embedded store's direct scan hands nested documents over in its own document type. */
    private static ScoreCeiling ceiling(Object stored) {
        if (!(stored instanceof java.util.Map<?, ?> document)) {
            return null;
        }
        return new ScoreCeiling(Instant.parse((String) document.get("from")),
                                orNegativeInfinity((Double) document.get("engagementFloor")),
                                number(document, "steady"), number(document, "decaying"), number(document, "halfLife"),
                                number(document, "bonus"),
                                orNegativeInfinity((Double) document.get("totalFloor")),
                                (Boolean) document.get("suppressed"), (Boolean) document.get("fitMayFall"));
    }

    private static double number(java.util.Map<?, ?> document, String key) {
        return ((Number) document.get(key)).doubleValue();
    }

    /** BSON has no infinities that every store round-trips: an absent floor is stored as null. */
    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double orNegativeInfinity(Double value) {
        return value == null ? Double.NEGATIVE_INFINITY : value;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
