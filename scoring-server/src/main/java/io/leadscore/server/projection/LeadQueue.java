package io.leadscore.server.projection;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Queues of leads from the in-memory projection: filter, order, and keyset paging, by the score each lead has at
 * the query's time, exactly as GetScore computes it (decay and windows included), not the score stored after its
 * last fact.
 *
 * <p>Scoring every lead at every call would cost a fold per lead. Most scores only fall while nothing happens
 * (decay, windows, expiring bonuses), so the stored score bounds the current one from above: leads are visited in
 * order of that bound, scored exactly, and the walk stops once the page is full and no bound left can beat it.
 * Leads whose score may rise without a new fact ({@link io.leadscore.server.scoring.ScoreCard#mayRise}) have no
 * such bound and are always scored.
 *
 * <p>A page token holds the query's time, the sort key of the last lead shown and a fingerprint of the query: every
 * page of one walk ranks the leads as of the first page's time (each lead says so in its {@code asOf}), so pages
 * neither repeat nor skip a lead while scores decay, and a token cannot be used with other filters.
 */
public final class LeadQueue {

    /** Ordering of a queue; ties are broken by lead id. */
    public enum Order { SCORE, RECENCY }

    /** The lead's row with its score as of a time, as GetScore would answer then. */
    @FunctionalInterface
    public interface ScoreAt {
        LeadSnapshot score(LeadSnapshot row, Instant asOf);
    }

    /**
     * What a queue shows.
     *
     * @param stages        stages to include; all when empty
     * @param band          band such as A1; all when empty
     * @param channel       acquisition channel; all when empty
     * @param accountDomain account domain; all when empty
     */
    public record Filter(Set<LeadStage> stages, String band, String channel, String accountDomain) {

        /** The filters that do not depend on the score, which changes with time. */
        boolean acceptsRow(LeadSnapshot lead) {
            return (stages.isEmpty() || stages.contains(lead.stage()))
                   && (channel.isEmpty() || channel.equals(lead.channel()))
                   && (accountDomain.isEmpty() || accountDomain.equalsIgnoreCase(lead.accountDomain()));
        }

        boolean acceptsScore(LeadSnapshot scored) {
            return band.isEmpty() || band.equalsIgnoreCase(scored.score().matrix());
        }

        /**
         * Whether a lead whose score can only fall could still reach the band: grades and levels only get worse as
         * points fall (A before B, level 1 before 2), so a row already worse than the band never matches again.
         */
        boolean bandReachable(LeadSnapshot row) {
            if (band.isEmpty() || row.score().mayRise() || band.length() < 2) {
                return true;
            }
            String grade = band.substring(0, band.length() - 1);
            String level = band.substring(band.length() - 1);
            return row.score().fitGrade().compareToIgnoreCase(grade) <= 0
                   && String.valueOf(row.score().engagementLevel()).compareTo(level) <= 0;
        }
    }

    /** One page, the token of the next one (empty on the last page) and how many leads match in all. */
    public record Page(List<LeadSnapshot> leads, String nextPageToken, long totalCount, Instant asOf) {
    }

    private final LeadScoreStore scores;
    private final ScoreAt scoreAt;
    private final Clock clock;

    public LeadQueue(LeadScoreStore scores, ScoreAt scoreAt, Clock clock) {
        this.scores = scores;
        this.scoreAt = scoreAt;
        this.clock = clock;
    }

    public Page page(Filter filter, Order order, int pageSize, String pageToken) {
        String fingerprint = Integer.toHexString((filter.toString() + order).hashCode());
        Comparator<LeadSnapshot> comparator = comparator(order);
        Token after = pageToken.isEmpty() ? null : Token.decode(pageToken, fingerprint, order);
        Instant asOf = after == null ? clock.instant() : after.asOf();
        List<LeadSnapshot> rows = new ArrayList<>();
        for (LeadSnapshot row : scores.all().values()) {
            if (filter.acceptsRow(row) && filter.bandReachable(row)) {
                rows.add(row);
            }
        }
        Walk walk = order == Order.SCORE ? byScore(rows, filter, asOf, pageSize, after, comparator)
                                         : byRecency(rows, filter, asOf, pageSize, after, comparator);
        List<LeadSnapshot> page = walk.page();
        String next = walk.more() ? new Token(asOf, page.get(page.size() - 1)).encode(fingerprint, order) : "";
        return new Page(page, next, walk.totalCount(), asOf);
    }

    /** A page, whether leads follow it, and how many match in all. */
    private record Walk(List<LeadSnapshot> page, boolean more, long totalCount) {
    }

    /**
     * Visits rows by the bound on their score (the stored total, or infinity for scores that may rise), scores each
     * exactly, and stops once the page plus one is full and no remaining bound can enter it. The count of matches
     * needs every row without a band filter only; with one, every row that can still reach the band is scored.
     */
    private Walk byScore(List<LeadSnapshot> rows, Filter filter, Instant asOf, int pageSize, Token after,
                         Comparator<LeadSnapshot> comparator) {
        rows.sort(Comparator.comparingDouble(LeadQueue::bound).reversed());
        boolean countAll = !filter.band().isEmpty();
        // The best pageSize + 1 leads after the token: one more than a page tells whether another page follows.
        PriorityQueue<LeadSnapshot> best = new PriorityQueue<>(comparator.reversed());
        long matching = countAll ? 0 : rows.size();
        for (LeadSnapshot row : rows) {
            if (!countAll && best.size() > pageSize && bound(row) < best.peek().score().total()) {
                break;
            }
            LeadSnapshot scored = scoreAt.score(row, asOf);
            if (!filter.acceptsScore(scored)) {
                continue;
            }
            if (countAll) {
                matching++;
            }
            if (after == null || comparator.compare(scored, after.lead()) > 0) {
                best.add(scored);
                if (best.size() > pageSize + 1) {
                    best.poll();
                }
            }
        }
        return finish(best, comparator, pageSize, matching);
    }

    /** By time of the last fact, which no clock changes: only the leads shown need scoring, and the band filter. */
    private Walk byRecency(List<LeadSnapshot> rows, Filter filter, Instant asOf, int pageSize, Token after,
                           Comparator<LeadSnapshot> comparator) {
        rows.sort(comparator);
        boolean countAll = !filter.band().isEmpty();
        List<LeadSnapshot> page = new ArrayList<>();
        boolean more = false;
        long matching = countAll ? 0 : rows.size();
        for (LeadSnapshot row : rows) {
            if (!countAll && page.size() > pageSize) {
                break;
            }
            boolean afterToken = after == null || comparator.compare(row, after.lead()) > 0;
            if (!afterToken && !countAll) {
                continue;
            }
            LeadSnapshot scored = scoreAt.score(row, asOf);
            if (!filter.acceptsScore(scored)) {
                continue;
            }
            if (countAll) {
                matching++;
            }
            if (afterToken && page.size() <= pageSize) {
                page.add(scored);
            }
        }
        if (page.size() > pageSize) {
            page.remove(page.size() - 1);
            more = true;
        }
        return new Walk(List.copyOf(page), more, matching);
    }

    private static Walk finish(PriorityQueue<LeadSnapshot> best, Comparator<LeadSnapshot> comparator, int pageSize,
                               long matching) {
        List<LeadSnapshot> page = new ArrayList<>(best);
        page.sort(comparator);
        boolean more = page.size() > pageSize;
        return new Walk(List.copyOf(more ? page.subList(0, pageSize) : page), more, matching);
    }

    /** The most the lead's score can be at any later time without a new fact. */
    private static double bound(LeadSnapshot row) {
        return row.score().mayRise() ? Double.POSITIVE_INFINITY : row.score().total();
    }

    private static Comparator<LeadSnapshot> comparator(Order order) {
        Comparator<LeadSnapshot> primary = order == Order.SCORE
                ? Comparator.comparingDouble((LeadSnapshot lead) -> lead.score().total()).reversed()
                : Comparator.comparing((LeadSnapshot lead) -> lead.lastChangedAt(),
                                       Comparator.nullsLast(Comparator.reverseOrder()));
        return primary.thenComparing(LeadSnapshot::leadId);
    }

    /** Where a walk stands: its time and the last lead shown (a stand-in carrying only the sort key). */
    private record Token(Instant asOf, LeadSnapshot lead) {

        String encode(String fingerprint, Order order) {
            String key = order == Order.SCORE ? Long.toString(Double.doubleToLongBits(lead.score().total()))
                    : String.valueOf(lead.lastChangedAt());
            String raw = fingerprint + "\n" + asOf + "\n" + key + "\n" + lead.leadId();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Token decode(String token, String fingerprint, Order order) {
            String[] parts;
            try {
                parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", 4);
            } catch (IllegalArgumentException e) {
                parts = new String[0];
            }
            if (parts.length != 4 || !parts[0].equals(fingerprint)) {
                throw new LeadscoreException(ErrorCode.INVALID_ARGUMENT, "page_token",
                                             "is not a token of this query (same filters and order)");
            }
            try {
                Instant asOf = Instant.parse(parts[1]);
                double total = order == Order.SCORE ? Double.longBitsToDouble(Long.parseLong(parts[2])) : 0;
                Instant changed = order == Order.RECENCY && !parts[2].equals("null") ? Instant.parse(parts[2]) : null;
                var card = new io.leadscore.server.scoring.ScoreCard(0, 0, total, "", false, "", 0, "", false);
                return new Token(asOf, new LeadSnapshot(parts[3], card, LeadStage.LEAD, changed, 0, null, "", "",
                                                        null));
            } catch (RuntimeException e) {
                throw new LeadscoreException(ErrorCode.INVALID_ARGUMENT, "page_token", "is damaged");
            }
        }
    }
}
