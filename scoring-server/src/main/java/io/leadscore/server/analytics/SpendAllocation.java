package io.leadscore.server.analytics;

import io.leadscore.server.replay.ReplayWindow;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Spend attributed to a report window: a record counts in proportion to the part of its period inside the window
 * (spread evenly over time), and per month in proportion to the part inside each month. Only one currency is added
 * up; records in others are counted, never converted with rates nobody agreed on.
 */
final class SpendAllocation {

    private final List<SpendRecorded> spends;
    private final ReplayWindow window;
    private final String currency;
    private final long otherCurrencyRecords;

    private SpendAllocation(List<SpendRecorded> spends, ReplayWindow window, String currency, long other) {
        this.spends = spends;
        this.window = window;
        this.currency = currency;
        this.otherCurrencyRecords = other;
    }

    /**
     * Spend of the window in {@code requested}, or in the currency recorded most when empty. The records are put
     * in spend id order first: shares are added up as doubles, and a replay hands spend over in an order that
     * depends on how many threads folded it, so without one order a total could round differently elsewhere.
     */
    static SpendAllocation of(List<SpendRecorded> all, ReplayWindow window, String requested) {
        List<SpendRecorded> inWindow = all.stream().filter(s -> overlap(s, window.from(), window.to()) > 0)
                                          .sorted(Comparator.comparing(SpendRecorded::spendId)).toList();
        String currency = requested;
        if (currency.isEmpty()) {
            currency = inWindow.stream().collect(Collectors.groupingBy(SpendRecorded::currency, Collectors.counting()))
                               .entrySet().stream()
                               .max(Map.Entry.<String, Long>comparingByValue()
                                            .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                               .map(Map.Entry::getKey).orElse("");
        }
        String chosen = currency;
        List<SpendRecorded> counted = inWindow.stream().filter(s -> s.currency().equals(chosen)).toList();
        return new SpendAllocation(counted, window, currency, inWindow.size() - counted.size());
    }

    String currency() {
        return currency;
    }

    long otherCurrencyRecords() {
        return otherCurrencyRecords;
    }

    long total() {
        return Math.round(spends.stream().mapToDouble(s -> share(s, window.from(), window.to())).sum());
    }

    /** The spend attributed to one group of a report. */
    long forGroup(FunnelGrouping grouping, String group) {
        return switch (grouping) {
            case CAMPAIGN -> sumWhere(SpendRecorded::campaign, group);
            case MONTH -> {
                YearMonth month = YearMonth.parse(group);
                Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant from = start.isAfter(window.from()) ? start : window.from();
                Instant to = end.isBefore(window.to()) ? end : window.to();
                yield Math.round(spends.stream().mapToDouble(s -> share(s, from, to)).sum());
            }
            case CHANNEL -> sumWhere(SpendRecorded::channel, group);
        };
    }

    private long sumWhere(Function<SpendRecorded, String> key, String group) {
        Map<String, Double> byGroup = new HashMap<>();
        spends.forEach(s -> byGroup.merge(key.apply(s), share(s, window.from(), window.to()), Double::sum));
        return Math.round(byGroup.getOrDefault(group, 0.0));
    }

    /** The part of the record's amount that falls in {@code [from, to)}. */
    private static double share(SpendRecorded spend, Instant from, Instant to) {
        long period = spend.periodEnd().toEpochMilli() - spend.periodStart().toEpochMilli();
        return period <= 0 ? 0 : spend.amount() * (double) overlap(spend, from, to) / period;
    }

    private static long overlap(SpendRecorded spend, Instant from, Instant to) {
        long start = Math.max(spend.periodStart().toEpochMilli(), from.toEpochMilli());
        long end = Math.min(spend.periodEnd().toEpochMilli(), to.toEpochMilli());
        return Math.max(0, end - start);
    }
}
