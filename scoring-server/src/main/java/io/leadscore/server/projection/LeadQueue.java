package io.leadscore.server.projection;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Queues of leads from the in-memory projection: filter, order, and keyset paging. A page token holds the sort
 * key of the last lead shown and a fingerprint of the query, so pages stay stable while leads change and a token
 * cannot be used with other filters.
 */
public final class LeadQueue {

    /** Ordering of a queue; ties are broken by lead id. */
    public enum Order { SCORE, RECENCY }

    /**
     * What a queue shows.
     *
     * @param stages        stages to include; all when empty
     * @param band          band such as A1; all when empty
     * @param channel       acquisition channel; all when empty
     * @param accountDomain account domain; all when empty
     */
    public record Filter(Set<LeadStage> stages, String band, String channel, String accountDomain) {

        boolean accepts(LeadSnapshot lead) {
            return (stages.isEmpty() || stages.contains(lead.stage()))
                   && (band.isEmpty() || band.equalsIgnoreCase(lead.score().matrix()))
                   && (channel.isEmpty() || channel.equals(lead.channel()))
                   && (accountDomain.isEmpty() || accountDomain.equalsIgnoreCase(lead.accountDomain()));
        }
    }

    /** One page, the token of the next one (empty on the last page) and how many leads match in all. */
    public record Page(List<LeadSnapshot> leads, String nextPageToken, long totalCount) {
    }

    private final LeadScoreStore scores;

    public LeadQueue(LeadScoreStore scores) {
        this.scores = scores;
    }

    public Page page(Filter filter, Order order, int pageSize, String pageToken) {
        String fingerprint = Integer.toHexString((filter.toString() + order).hashCode());
        Comparator<LeadSnapshot> comparator = comparator(order);
        List<LeadSnapshot> matching = scores.all().values().stream().filter(filter::accepts).sorted(comparator)
                                            .toList();
        int start = 0;
        if (!pageToken.isEmpty()) {
            LeadSnapshot after = decode(pageToken, fingerprint, order);
            while (start < matching.size() && comparator.compare(matching.get(start), after) <= 0) {
                start++;
            }
        }
        int end = Math.min(matching.size(), start + pageSize);
        List<LeadSnapshot> page = matching.subList(start, end);
        String next = end < matching.size() ? encode(page.get(page.size() - 1), fingerprint, order) : "";
        return new Page(List.copyOf(page), next, matching.size());
    }

    private static Comparator<LeadSnapshot> comparator(Order order) {
        Comparator<LeadSnapshot> primary = order == Order.SCORE
                ? Comparator.comparingDouble((LeadSnapshot lead) -> lead.score().total()).reversed()
                : Comparator.comparing((LeadSnapshot lead) -> lead.lastChangedAt(),
                                       Comparator.nullsLast(Comparator.reverseOrder()));
        return primary.thenComparing(LeadSnapshot::leadId);
    }

    private static String encode(LeadSnapshot last, String fingerprint, Order order) {
        String key = order == Order.SCORE ? Long.toString(Double.doubleToLongBits(last.score().total()))
                : String.valueOf(last.lastChangedAt());
        String raw = fingerprint + "\n" + key + "\n" + last.leadId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A stand-in lead carrying only the sort key of the token. */
    private static LeadSnapshot decode(String token, String fingerprint, Order order) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", 3);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 3 || !parts[0].equals(fingerprint)) {
            throw new LeadscoreException(ErrorCode.INVALID_ARGUMENT, "page_token",
                                         "is not a token of this query (same filters and order)");
        }
        try {
            double total = order == Order.SCORE ? Double.longBitsToDouble(Long.parseLong(parts[1])) : 0;
            Instant changed = order == Order.RECENCY && !parts[1].equals("null") ? Instant.parse(parts[1]) : null;
            return new LeadSnapshot(parts[2], new io.leadscore.server.scoring.ScoreCard(0, 0, total, "", false, "", 0, ""),
                                    LeadStage.LEAD, changed, 0, null, "", "", null);
        } catch (RuntimeException e) {
            throw new LeadscoreException(ErrorCode.INVALID_ARGUMENT, "page_token", "is damaged");
        }
    }
}
