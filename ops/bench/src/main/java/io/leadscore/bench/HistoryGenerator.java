package io.leadscore.bench;

import io.leadscore.server.storage.EventStorage;
import io.leadscore.server.axon.Serializers;
import io.leadscore.server.privacy.PersonalDataVault;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.ImportedOutcome;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.OutcomeImported;
import io.leadscore.server.lead.api.ProfileUpdated;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.Seniority;
import io.leadscore.server.storage.MongoConnection;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes a synthetic but plausible lead history straight into a store (the server must not be running on it), for
 * measuring backtests and replays on a million events without waiting for a million commands. Leads arrive over
 * 2025 through weighted channels, get a profile, engage over the following 90 days, and the engaged ones more
 * often become SQLs and customers, so models have something to find. Deterministic for a given seed.
 *
 * <pre>java -cp ops/bench/target/benchmarks.jar io.leadscore.bench.HistoryGenerator DATA_DIR LEADS EVENTS [SEED [ID_PREFIX]]</pre>
 *
 * <p>A second run with another id prefix adds leads to the same store.
 */
public final class HistoryGenerator {

    private static final String[] CHANNELS = {"organic_search", "paid_search", "paid_search", "social", "email",
                                              "referral", "direct_traffic", "organic_search"};
    private static final String[] TYPES = {"page_view", "page_view", "page_view", "email_opened", "email_opened",
                                           "email_clicked", "content_download", "webinar_registered",
                                           "webinar_attended", "video_watched", "form_submitted", "demo_requested",
                                           "trial_started", "interactive_demo", "cart_added"};
    private static final String[] PAGES = {"blog", "blog", "product", "product", "pricing", "docs"};
    private static final String[] INDUSTRIES = {"software", "retail", "finance", "health", "manufacturing"};
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private HistoryGenerator() {
    }

    private record Fact(String leadId, Instant at, Object payload) {
    }

    public static void main(String[] args) {
        generate(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]),
                 args.length > 3 ? Long.parseLong(args[3]) : 42, args.length > 4 ? args[4] : "gen-");
    }

    /**
     * Writes {@code leads} leads with about {@code events} events in all (at least registration and profile per
     * lead) into the store under {@code dataDir}; answers how many events were written.
     */
    public static long generate(Path dataDir, int leads, long events, long seed, String prefix) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Fact> facts = new ArrayList<>();
        long engagementsPerLead = Math.max(0, events / leads - 3);
        for (int i = 0; i < leads; i++) {
            facts.addAll(lead(prefix + i, engagementsPerLead, random));
        }
        facts.sort(Comparator.comparing(Fact::at));
        List<String> leadIds = new ArrayList<>();
        for (int i = 0; i < leads; i++) {
            leadIds.add(prefix + i);
        }
        return write(dataDir, leadIds, facts);
    }

    /**
     * Writes one lead per entry of {@code engagementsByLead} with that many engagements, one a minute in time order,
     * the last a minute before {@code end}: leads with long histories, as a bot or a heavy user makes them.
     */
    public static long heavyLeads(Path dataDir, Map<String, Integer> engagementsByLead, Instant end) {
        SplittableRandom random = new SplittableRandom(7);
        List<Fact> facts = new ArrayList<>();
        for (Map.Entry<String, Integer> lead : engagementsByLead.entrySet()) {
            String leadId = lead.getKey();
            int engagements = lead.getValue();
            Instant registeredAt = end.minus(Duration.ofMinutes(engagements + 2L));
            facts.add(new Fact(leadId, registeredAt, new LeadRegistered(leadId, leadId + "@example.com",
                                                                        "heavy.example", "", "bench", "",
                                                                        registeredAt)));
            for (int k = 0; k < engagements; k++) {
                Instant at = registeredAt.plus(Duration.ofMinutes(k + 1L));
                String type = TYPES[random.nextInt(TYPES.length)];
                Map<String, String> attributes = new HashMap<>();
                if (type.equals("page_view")) {
                    attributes.put("page_category", PAGES[random.nextInt(PAGES.length)]);
                }
                facts.add(new Fact(leadId, at, new EngagementRecorded(leadId, new EngagementFact(
                        "h-" + k, type, at, "s-" + k / 20, "bench", attributes))));
            }
        }
        return write(dataDir, List.copyOf(engagementsByLead.keySet()), facts);
    }

    /** Appends the facts, in the order given, as the leads' events (numbered per lead), with every lead's key. */
    private static long write(Path dataDir, List<String> allLeadIds, List<Fact> facts) {
        int leads = allLeadIds.size();
        long started = System.nanoTime();
        try (MongoConnection connection = MongoConnection.embedded(dataDir)) {
            // Every lead's key at once, as a bulk import would: sealing creates them one by one otherwise.
            PersonalDataVault vault = PersonalDataVault.on(connection, leads);
            for (int from = 0; from < leads; from += 10_000) {
                vault.createKeys(allLeadIds.subList(from, Math.min(leads, from + 10_000)));
            }
            MongoIndexedEventStorageEngine engine = EventStorage.on(connection,
                    Serializers.jackson(vault));
            engine.ensureIndexes();
            Map<String, Long> sequences = new HashMap<>();
            List<GenericDomainEventMessage<?>> batch = new ArrayList<>();
            long written = 0;
            for (Fact fact : facts) {
                long sequence = sequences.merge(fact.leadId(), 1L, Long::sum) - 1;
                batch.add(new GenericDomainEventMessage<>("Lead", fact.leadId(), sequence, fact.payload(),
                                                          MetaData.emptyInstance(), UUID.randomUUID().toString(),
                                                          fact.at()));
                if (batch.size() == 2000) {
                    engine.appendEvents(batch);
                    written += batch.size();
                    batch.clear();
                    if (written % 100_000 == 0) {
                        System.err.printf("%d events written (%.0f/s)%n", written,
                                          written / ((System.nanoTime() - started) / 1e9));
                    }
                }
            }
            engine.appendEvents(batch);
            written += batch.size();
            System.err.printf("%d leads, %d events written in %.0f s%n", leads, written,
                              (System.nanoTime() - started) / 1e9);
            return written;
        }
    }

    private static List<Fact> lead(String leadId, long engagements, SplittableRandom random) {
        List<Fact> facts = new ArrayList<>();
        Instant registeredAt = START.plusSeconds(random.nextLong(365L * 86_400));
        String channel = CHANNELS[random.nextInt(CHANNELS.length)];
        facts.add(new Fact(leadId, registeredAt, new LeadRegistered(
                leadId, leadId + "@example.com", "acct-" + random.nextInt(20_000) + ".example", "", channel,
                "campaign-" + random.nextInt(40), registeredAt)));
        Instant profiledAt = registeredAt.plusSeconds(3600 + random.nextInt(86_400));
        FitProfile profile = new FitProfile("", Seniority.values()[random.nextInt(Seniority.values().length)], "",
                                            10 + random.nextInt(5000), INDUSTRIES[random.nextInt(INDUSTRIES.length)],
                                            random.nextLong(50_000_000), "", List.of(), List.of());
        facts.add(new Fact(leadId, profiledAt, new ProfileUpdated(leadId, profile, profiledAt)));
        int intent = 0;
        Instant last = registeredAt;
        for (long k = 0; k < engagements; k++) {
            Instant at = registeredAt.plusSeconds(random.nextLong(90L * 86_400));
            last = at.isAfter(last) ? at : last;
            String type = TYPES[random.nextInt(TYPES.length)];
            Map<String, String> attributes = new HashMap<>();
            if (type.equals("page_view")) {
                String page = PAGES[random.nextInt(PAGES.length)];
                attributes.put("page_category", page);
                intent += page.equals("pricing") ? 2 : 0;
            } else if (type.equals("video_watched")) {
                attributes.put("percent_watched", String.valueOf(random.nextInt(101)));
            }
            intent += type.equals("demo_requested") || type.equals("trial_started") ? 3 : 0;
            facts.add(new Fact(leadId, at, new EngagementRecorded(leadId, new EngagementFact(
                    "e-" + k, type, at, "s-" + random.nextInt(5), channel, attributes))));
        }
        // The engaged buy more often: an SQL chance rising with buying signals, a win for about a third of those.
        if (random.nextDouble() < Math.min(0.6, 0.02 + intent * 0.02)) {
            Instant sqlAt = last.plus(Duration.ofDays(1 + random.nextInt(14)));
            facts.add(new Fact(leadId, sqlAt, new OutcomeImported(leadId, ImportedOutcome.SQL, sqlAt, 0, "",
                                                                  "generator")));
            if (random.nextDouble() < 0.35) {
                Instant wonAt = sqlAt.plus(Duration.ofDays(7 + random.nextInt(60)));
                facts.add(new Fact(leadId, wonAt, new OutcomeImported(leadId, ImportedOutcome.WON, wonAt,
                                                                      100_000 + random.nextInt(2_000_000), "EUR",
                                                                      "generator")));
            }
        }
        return facts;
    }
}
