package io.leadscore.server.readside;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.scoring.BandScale;
import io.leadscore.server.scoring.ScoreCeiling;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Supplier;

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

    }

    /**
     * What a row can still be in the band of a filter at a time: grades and levels only get worse while a score
     * falls (its fit never rises, its engagement stays under the ceiling), so a row already worse than the band
     * never matches again, and a row at the band's grade whose ceiling is in the lowest level surely matches.
     */
    private record BandReach(int gradeRank, int levelRank, BandScale scale) {

        /** Reach of {@code band} such as A1 (grade, then level digits); null when there is no band filter. */
        static BandReach of(String band, BandScale scale) {
            if (band.isEmpty()) {
                return null;
            }
            int digits = band.length();
            while (digits > 0 && Character.isDigit(band.charAt(digits - 1))) {
                digits--;
            }
            String levelDigits = band.substring(digits);
            int grade = digits == 0 || digits == band.length() ? -1 : scale.gradeRank(band.substring(0, digits));
            // Only the form scores show (A1, not A01): any other matches no score, so it must reach no row.
            boolean canonical = !levelDigits.isEmpty() && levelDigits.length() <= 6
                                && String.valueOf(Integer.parseInt(levelDigits)).equals(levelDigits);
            int level = grade < 0 || !canonical ? -1 : scale.levelRank(Integer.parseInt(levelDigits));
            return new BandReach(grade, level, scale);
        }

        boolean reachable(LeadSnapshot row, Instant asOf) {
            if (gradeRank < 0 || levelRank < 0) {
                return false; // a band the model does not have
            }
            ScoreCeiling ceiling = ceilingAt(row, asOf);
            return ceiling == null || scale.gradeRank(row.score().fitGrade()) <= gradeRank
                                      && scale.levelRankOf(row.score().engagementCeilingAt(asOf)) <= levelRank;
        }

        boolean certain(LeadSnapshot row, Instant asOf) {
            ScoreCeiling ceiling = ceilingAt(row, asOf);
            return ceiling != null && !ceiling.fitMayFall() && levelRank == scale.lowestLevelRank()
                   && scale.gradeRank(row.score().fitGrade()) == gradeRank
                   && scale.levelRankOf(row.score().engagementCeilingAt(asOf)) == levelRank;
        }
    }

    /** One page, the token of the next one (empty on the last page) and how many leads match in all. */
    public record Page(List<LeadSnapshot> leads, String nextPageToken, long totalCount, Instant asOf) {
    }

    private final LeadScoreStore scores;
    private final ScoreAt scoreAt;
    private final Supplier<BandScale> bands;
    private final Clock clock;

    /** @param bands the active model's band order (it changes with a publish) */
    public LeadQueue(LeadScoreStore scores, ScoreAt scoreAt, Supplier<BandScale> bands, Clock clock) {
        this.scores = scores;
        this.scoreAt = scoreAt;
        this.bands = bands;
        this.clock = clock;
    }

    public Page page(Filter filter, Order order, int pageSize, String pageToken) {
        String fingerprint = Integer.toHexString((filter.toString() + order).hashCode());
        Comparator<LeadSnapshot> comparator = comparator(order);
        Token after = pageToken.isEmpty() ? null : Token.decode(pageToken, fingerprint, order);
        Instant asOf = after == null ? clock.instant() : after.asOf();
        BandReach reach = BandReach.of(filter.band(), bands.get());
        List<LeadSnapshot> rows = new ArrayList<>();
        for (LeadSnapshot row : scores.rows()) {
            if (filter.acceptsRow(row) && (reach == null || reach.reachable(row, asOf))) {
                rows.add(row);
            }
        }
        Walk walk = order == Order.SCORE ? byScore(rows, filter, reach, asOf, pageSize, after, comparator)
                                         : byRecency(rows, filter, reach, asOf, pageSize, after, comparator);
        List<LeadSnapshot> page = walk.page();
        String next = walk.more() ? new Token(asOf, page.get(page.size() - 1)).encode(fingerprint, order) : "";
        return new Page(page, next, walk.totalCount(), asOf);
    }

    /** A row with the ceiling of its score at the query's time, highest first. */
    private record ByCeiling(double ceiling, LeadSnapshot row) implements Comparable<ByCeiling> {
        @Override
        public int compareTo(ByCeiling other) {
            return Double.compare(other.ceiling, ceiling);
        }
    }

    /** A page, whether leads follow it, and how many match in all. */
    private record Walk(List<LeadSnapshot> page, boolean more, long totalCount) {
    }

    /**
     * Visits rows by the ceiling of their score at the query's time, scores each exactly, and stops once the page
     * plus one is full and no remaining ceiling can enter it. Without a band filter the count of matches is the
     * rows'; with one, the rows past the page are counted too: without scoring those surely in the band, by
     * scoring the others.
     */
    private Walk byScore(List<LeadSnapshot> rows, Filter filter, BandReach reach, Instant asOf, int pageSize,
                         Token after, Comparator<LeadSnapshot> comparator) {
        List<ByCeiling> candidates = new ArrayList<>(rows.size());
        for (LeadSnapshot row : rows) {
            candidates.add(new ByCeiling(bound(row, asOf), row));
        }
        // Built in linear time and taken from in order only as far as the walk goes: usually a few hundred of
        // a million rows, where sorting them all would cost more than the rest of the call.
        PriorityQueue<ByCeiling> highestFirst = new PriorityQueue<>(candidates);
        // The best pageSize + 1 leads after the token: one more than a page tells whether another page follows.
        PriorityQueue<LeadSnapshot> best = new PriorityQueue<>(comparator.reversed());
        long matching = reach == null ? rows.size() : 0;
        while (!highestFirst.isEmpty()) {
            ByCeiling next = highestFirst.poll();
            LeadSnapshot row = next.row();
            boolean pageSettled = best.size() > pageSize && next.ceiling() < best.peek().score().total();
            if (pageSettled && reach == null) {
                break;
            }
            if (pageSettled && reach.certain(row, asOf)) {
                matching++;
                continue;
            }
            LeadSnapshot scored = scoreAt.score(row, asOf);
            if (!filter.acceptsScore(scored)) {
                continue;
            }
            if (reach != null) {
                matching++;
            }
            if (!pageSettled && (after == null || comparator.compare(scored, after.lead()) > 0)) {
                best.add(scored);
                if (best.size() > pageSize + 1) {
                    best.poll();
                }
            }
        }
        return finish(best, comparator, pageSize, matching);
    }

    /**
     * By time of the last fact, which no clock changes: only the leads shown need scoring, and, with a band filter,
     * those the count cannot settle without.
     */
    private Walk byRecency(List<LeadSnapshot> rows, Filter filter, BandReach reach, Instant asOf, int pageSize,
                           Token after, Comparator<LeadSnapshot> comparator) {
        long matching = reach == null ? rows.size() : 0;
        if (reach == null) {
            rows = firstAfter(rows, after, pageSize + 1, comparator); // all the page needs; no full sort
        }
        rows.sort(comparator);
        List<LeadSnapshot> page = new ArrayList<>();
        for (LeadSnapshot row : rows) {
            boolean pageFull = page.size() > pageSize;
            if (pageFull && reach == null) {
                break;
            }
            boolean afterToken = after == null || comparator.compare(row, after.lead()) > 0;
            if ((pageFull || !afterToken) && (reach == null || reach.certain(row, asOf))) {
                matching += reach == null ? 0 : 1;
                continue;
            }
            LeadSnapshot scored = scoreAt.score(row, asOf);
            if (!filter.acceptsScore(scored)) {
                continue;
            }
            if (reach != null) {
                matching++;
            }
            if (afterToken && !pageFull) {
                page.add(scored);
            }
        }
        boolean more = page.size() > pageSize;
        if (more) {
            page.remove(page.size() - 1);
        }
        return new Walk(List.copyOf(page), more, matching);
    }

    /** The first {@code count} rows after the token in {@code comparator}'s order, in one pass (unordered). */
    private static List<LeadSnapshot> firstAfter(List<LeadSnapshot> rows, Token after, int count,
                                                 Comparator<LeadSnapshot> comparator) {
        PriorityQueue<LeadSnapshot> first = new PriorityQueue<>(comparator.reversed());
        for (LeadSnapshot row : rows) {
            if (after == null || comparator.compare(row, after.lead()) > 0) {
                first.add(row);
                if (first.size() > count) {
                    first.poll();
                }
            }
        }
        return new ArrayList<>(first);
    }

    private static Walk finish(PriorityQueue<LeadSnapshot> best, Comparator<LeadSnapshot> comparator, int pageSize,
                               long matching) {
        List<LeadSnapshot> page = new ArrayList<>(best);
        page.sort(comparator);
        boolean more = page.size() > pageSize;
        return new Walk(List.copyOf(more ? page.subList(0, pageSize) : page), more, matching);
    }

    /** The most the lead's score can be at {@code asOf} with no fact after its row; infinity when unbounded. */
    private static double bound(LeadSnapshot row, Instant asOf) {
        return ceilingAt(row, asOf) == null ? Double.POSITIVE_INFINITY : row.score().totalCeilingAt(asOf);
    }

    /** The row's ceiling when it bounds the score at {@code asOf}: not for scores that may rise or later facts. */
    private static ScoreCeiling ceilingAt(LeadSnapshot row, Instant asOf) {
        ScoreCeiling ceiling = row.score().ceiling();
        return ceiling == null || asOf.isBefore(ceiling.from()) ? null : ceiling;
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
                var card = new io.leadscore.server.scoring.ScoreCard(0, 0, total, "", false, "", 0, "", null);
                return new Token(asOf, new LeadSnapshot(parts[3], card, LeadStage.LEAD, changed, 0, null, "", "",
                                                        null));
            } catch (RuntimeException e) {
                throw new LeadscoreException(ErrorCode.INVALID_ARGUMENT, "page_token", "is damaged");
            }
        }
    }
}
