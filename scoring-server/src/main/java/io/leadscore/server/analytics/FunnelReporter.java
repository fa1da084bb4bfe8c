package io.leadscore.server.analytics;

import io.leadscore.server.analytics.FunnelReport.Group;
import io.leadscore.server.analytics.FunnelReport.StageConversion;
import io.leadscore.server.analytics.FunnelReport.StageCount;
import io.leadscore.server.analytics.FunnelReport.StageVelocity;
import io.leadscore.server.common.stats.Percentiles;
import io.leadscore.server.lead.LeadState;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.replay.HistoryReplay;
import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.server.replay.ReplayedLead;
import io.leadscore.server.scoring.ScoringModel;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The funnel of the leads registered in a window, from their stage histories under the active model (the same
 * fold the live service uses), with spend turned into cost per stage.
 *
 * <p>A lead <em>reached</em> a stage when it entered it or any later stage on the path to CUSTOMER: a deal won in
 * a CRM and imported as history passed through SQL even if nobody recorded that step here.
 */
public final class FunnelReporter {

    /** The path to CUSTOMER, in order. */
    static final List<LeadStage> PATH = List.of(LeadStage.LEAD, LeadStage.IQL, LeadStage.MQL, LeadStage.SQL,
                                                LeadStage.OPPORTUNITY, LeadStage.CUSTOMER);
    /** Conversions reported: each step of the path that matters to marketing and sales, and the whole funnel. */
    private static final List<LeadStage[]> CONVERSIONS = List.of(
            new LeadStage[]{LeadStage.LEAD, LeadStage.MQL}, new LeadStage[]{LeadStage.MQL, LeadStage.SQL},
            new LeadStage[]{LeadStage.SQL, LeadStage.OPPORTUNITY},
            new LeadStage[]{LeadStage.OPPORTUNITY, LeadStage.CUSTOMER},
            new LeadStage[]{LeadStage.LEAD, LeadStage.CUSTOMER});

    private final HistoryReplay replay;

    public FunnelReporter(HistoryReplay replay) {
        this.replay = replay;
    }

    /** One lead's funnel facts. */
    private record LeadFunnel(String channel, String campaign, String month, int reached,
                              EnumMap<LeadStage, Boolean> entered, Map<LeadStage, List<Long>> dwell) {
    }

    /**
     * The funnel of the window's leads under {@code activeModel}, grouped by {@code grouping}, with costs in
     * {@code requestedCurrency} (empty: the currency recorded most).
     */
    public FunnelReport report(ScoringModel activeModel, ReplayWindow window, FunnelGrouping grouping,
                               String requestedCurrency) {
        HistoryReplay.Result result = replay.replay(List.of(activeModel), window, LeadState.Stages.DERIVED,
                                                    Set.of(SpendRecorded.class), (read, total, leads) -> { });
        List<LeadFunnel> funnels = result.leads().stream().map(FunnelReporter::funnel).toList();
        SpendAllocation spend = SpendAllocation.of(result.otherEvents(SpendRecorded.class), window, requestedCurrency);
        Function<LeadFunnel, String> key = switch (grouping) {
            case CAMPAIGN -> LeadFunnel::campaign;
            case MONTH -> LeadFunnel::month;
            case CHANNEL -> LeadFunnel::channel;
        };
        Map<String, List<LeadFunnel>> groups = new HashMap<>();
        funnels.forEach(funnel -> groups.computeIfAbsent(key.apply(funnel), k -> new ArrayList<>()).add(funnel));
        Group total = group("", funnels, spend.total());
        List<Group> rows = groups.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<LeadFunnel>> e) -> -e.getValue().size())
                                  .thenComparing(Map.Entry::getKey))
                .map(e -> {
                    Group row = group(e.getKey(), e.getValue(), spend.forGroup(grouping, e.getKey()));
                    return row.withDiagnosis(ChannelDiagnosis.diagnose(row, total));
                })
                .toList();
        return new FunnelReport(window.from(), window.to(), activeModel.version(), total, rows, spend.currency(),
                                spend.otherCurrencyRecords());
    }

    private static LeadFunnel funnel(ReplayedLead lead) {
        LeadState state = lead.state(0);
        EnumMap<LeadStage, Boolean> entered = new EnumMap<>(LeadStage.class);
        int reached = 0;
        List<LeadState.StageEntry> history = new ArrayList<>(state.stageHistory());
        // Registration opens the history even when a source dates a later step before it (Olist has one such
        // deal); the rest in time order, stored order breaking ties.
        history.sort(Comparator.comparing((LeadState.StageEntry entry) -> !entry.cause().equals("REGISTRATION"))
                               .thenComparing(LeadState.StageEntry::at));
        Map<LeadStage, List<Long>> dwell = new EnumMap<>(LeadStage.class);
        for (int i = 0; i < history.size(); i++) {
            LeadState.StageEntry entry = history.get(i);
            entered.put(entry.stage(), true);
            reached = Math.max(reached, PATH.indexOf(entry.stage()));
            if (i + 1 < history.size()) {
                long millis = Math.max(0, history.get(i + 1).at().toEpochMilli() - entry.at().toEpochMilli());
                dwell.computeIfAbsent(entry.stage(), s -> new ArrayList<>()).add(millis);
            }
        }
        var registration = lead.registration();
        return new LeadFunnel(registration.channel(), registration.campaign(),
                              YearMonth.from(registration.registeredAt().atZone(ZoneOffset.UTC)).toString(),
                              reached, entered, dwell);
    }

    /** One group's figures, without a diagnosis: that compares them with the whole's. */
    private static Group group(String name, List<LeadFunnel> funnels, long spend) {
        Map<LeadStage, Long> reached = new LinkedHashMap<>();
        for (LeadStage stage : PATH) {
            int index = PATH.indexOf(stage);
            reached.put(stage, funnels.stream().filter(f -> f.reached() >= index).count());
        }
        List<StageCount> stages = new ArrayList<>();
        reached.forEach((stage, count) -> stages.add(new StageCount(stage, count)));
        for (LeadStage stage : List.of(LeadStage.RECYCLED, LeadStage.DISQUALIFIED)) {
            stages.add(new StageCount(stage, funnels.stream().filter(f -> f.entered().containsKey(stage)).count()));
        }
        List<StageConversion> conversions = new ArrayList<>();
        for (LeadStage[] step : CONVERSIONS) {
            long entered = reached.get(step[0]);
            long converted = reached.get(step[1]);
            conversions.add(new StageConversion(step[0], step[1], entered, converted, rate(converted, entered)));
        }
        List<StageVelocity> velocity = new ArrayList<>();
        for (LeadStage stage : LeadStage.values()) {
            long[] millis = funnels.stream().flatMap(f -> f.dwell().getOrDefault(stage, List.of()).stream())
                                   .mapToLong(Long::longValue).sorted().toArray();
            if (millis.length > 0) {
                velocity.add(new StageVelocity(stage, millis.length,
                                               Duration.ofMillis(Percentiles.nearestRank(millis, 50)),
                                               Duration.ofMillis(Percentiles.nearestRank(millis, 90))));
            }
        }
        long leads = reached.get(LeadStage.LEAD);
        long mqls = reached.get(LeadStage.MQL);
        long sqls = reached.get(LeadStage.SQL);
        long customers = reached.get(LeadStage.CUSTOMER);
        return new Group(name, List.copyOf(stages), List.copyOf(conversions), List.copyOf(velocity), spend,
                         cost(spend, leads), cost(spend, mqls), cost(spend, sqls), cost(spend, customers), "");
    }

    static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static double cost(long spend, long count) {
        return count == 0 ? 0 : (double) spend / count;
    }
}
