package io.leadscore.server.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.grpc.MethodDescriptor;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.InProcessLeadscore;
import io.leadscore.server.RepositoryFiles;
import io.leadscore.server.model.BuiltInModels;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustedPart;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.Bant;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.CandidateModel;
import io.leadscore.v1.CloseLostRequest;
import io.leadscore.v1.CloseWonRequest;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.DisqualifyLeadRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.EraseLeadRequest;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.FunnelGrouping;
import io.leadscore.v1.GetAccountScoreRequest;
import io.leadscore.v1.GetFunnelReportRequest;
import io.leadscore.v1.GetModelRequest;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.ImportLeadRequest;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.LeadOrder;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.ListLeadsRequest;
import io.leadscore.v1.ListModelsRequest;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.Profile;
import io.leadscore.v1.PublishModelRequest;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RecordOpportunityRequest;
import io.leadscore.v1.RecordSpendRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RejectLeadRequest;
import io.leadscore.v1.ReopenLeadRequest;
import io.leadscore.v1.RollbackModelRequest;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.StreamEngagementsResponse;
import io.leadscore.v1.UpdateProfileRequest;
import org.axonframework.serialization.Revision;
import org.h2.mvstore.MVStoreTool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a store fixture for {@link PreviousVersionStoreTest}: runs the real server in-process on a fresh data
 * directory with its clock stopped at {@link #NOW}, stores every kind of event the server has (checked: every
 * {@code @Revision} class of the server must be among the stored payload types), reads back what a later version
 * must answer the same, closes the server and copies the data directory and {@code expected.json} to
 * {@code scoring-server/src/test/resources/stores/<commit date>-<short commit>/}. A main class, not a test: a
 * fixture is written once, by the version it records, and committed; the test then runs against every later version.
 *
 * <p>Run it from the repository root on a committed tree (it refuses a tree whose server, proto or model sources
 * differ from the commit, since the fixture is named after the commit; {@code --allow-dirty} overrides), through
 * Surefire, which has the test classpath offline ({@link PreviousVersionStoreWriterRun}):
 * <pre>
 * ./mvnw -B -o -q install -DskipTests
 * ./mvnw -B -o -pl scoring-server test -Dtest=PreviousVersionStoreWriterRun -Dleadscore.fuzz.skip=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dleadscore.writeStoreFixture=true
 * </pre>
 * Options ({@code -Dleadscore.writeStoreFixture.args="..."}): {@code --name NAME} (the fixture's folder),
 * {@code --out DIR} (the {@code stores} folder), {@code --allow-dirty}. See
 * {@code src/test/resources/stores/README.md}.
 *
 * <p>The scenario, at fixed times and ids: two leads qualified, then demoted and requalified by publishing models
 * whose {@code on_model_change} is {@code requalify} (with a rollback between), a draft never published; then leads
 * that are won, lost, rejected, disqualified and reopened, breach the SLA, are adjusted by hand, are imported
 * whole or get imported outcomes, engage in ways matching every kind of rule and pattern (and on a stream), are
 * suppressed by an exclusion, are erased; one lead has more than 100 events, so a snapshot of it is stored; spend
 * on three channels. Personal data is sealed (e-mail, name, account name, job title, reasons, BANT). The model language has
 * no custom lead fields; engagements carry free attributes ({@code utm_*}, {@code asset}, ...), which are stored.
 */
public final class PreviousVersionStoreWriter {

    /** The server's clock in the writer and in the test: every "now" of the fixture. */
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    /** The lead with more than 100 events, whose aggregate snapshot is in the store. */
    static final String SNAPSHOT_LEAD = "lead-snapshot";
    /** Points the default model's {@code trial} rule gives a trial started now: the new write of the test. */
    static final double TRIAL_POINTS = 25;
    static final String FILE = "expected.json";
    static final String STORE = "store";
    /** The embedded store's file in a data directory ({@code EmbeddedMongo}). */
    private static final String EVENT_STORE_FILE = "leadscore.mv.db";

    private static final Bant BANT = Bant.newBuilder().setBudget("50k EUR a year").setAuthority("VP Sales")
                                         .setNeed("pipeline visibility").setTimeline("Q3 2026").build();
    /** The default model with an MQL rule no lead meets, sending unanswered MQLs back to nurture when published. */
    private static final String STRICT_REQUALIFYING = BuiltInModels.defaultDocument()
            .replace("version: 1", "version: 2")
            .replace("      - {fit_grade_at_least: B, engagement_at_least: 40}\n", "")
            .replace("{total_at_least: 60}", "{total_at_least: 500}")
            .replace("on_model_change: keep", "on_model_change: requalify");
    /** The default rules again, as version 3, qualifying at publish the leads they qualify. */
    private static final String DEFAULT_REQUALIFYING = BuiltInModels.defaultDocument()
            .replace("version: 1", "version: 3")
            .replace("on_model_change: keep", "on_model_change: requalify");
    /** A draft that is never published: pricing weighs double. */
    private static final String DRAFT = BuiltInModels.defaultDocument()
            .replace("version: 1", "version: 4")
            .replace("description: Seed weights", "description: Draft, pricing doubled. Seed weights")
            .replace("      points: 10\n      frequency: {max: 3, per_days: 30}",
                     "      points: 20\n      frequency: {max: 3, per_days: 30}");
    /** An inline backtest candidate: one pricing visit makes an MQL. */
    private static final String PRICING_ONLY = """
            id: pricing-only
            version: 1
            engagement:
              rules:
                - {id: pricing, type: page_view, when: [{attribute: page_category, equals: pricing}], points: 30,
                   frequency: once}
            bands:
              fit_grades: [{grade: A, min: 0}]
              engagement_levels: [{level: 1, min: 30}, {level: 2, min: 0}]
              mql: {any_of: [{total_at_least: 30}]}
            """;

    private final InProcessLeadscore server;
    private final LeadscoreClient client;
    private final LeadServiceGrpc.LeadServiceBlockingStub leads;
    private final List<String> leadIds = new ArrayList<>();

    private PreviousVersionStoreWriter(InProcessLeadscore server) {
        this.server = server;
        this.client = server.client();
        this.leads = server.leads();
    }

    public static void main(String[] args) throws Exception {
        run(args);
        // The in-process server leaves daemon threads of gRPC and Axon behind; nothing else needs to finish.
        System.exit(0);
    }

    /** Writes a fixture as {@code args} say; returns its folder. */
    static Path run(String... args) throws Exception {
        Path out = null;
        String name = null;
        boolean allowDirty = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--name" -> name = args[++i];
                case "--allow-dirty" -> allowDirty = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                                                              + "; options: --out DIR --name NAME --allow-dirty");
            }
        }
        Path repository = RepositoryFiles.find("scoring-server/src/main").getParent().getParent().getParent();
        String changed = git(repository, "status", "--porcelain", "--", "scoring-server/src/main", "proto/src",
                             "ops/models", "pom.xml", "scoring-server/pom.xml", "event-store/src/main",
                             "event-store/pom.xml");
        if (!changed.isBlank() && !allowDirty) {
            throw new IllegalStateException("the server's sources differ from the commit the fixture would be named "
                                            + "after; commit first, or pass --allow-dirty:\n" + changed);
        }
        if (out == null) {
            out = repository.resolve("scoring-server/src/test/resources/stores");
        }
        if (name == null) {
            name = git(repository, "log", "-1", "--format=%cs-%h").strip();
        }
        Path fixture = out.resolve(name);
        if (Files.exists(fixture)) {
            throw new IllegalStateException(fixture + " exists already; remove it or pass another --name");
        }
        String commit = git(repository, "rev-parse", "--short", "HEAD").strip();
        write(fixture, commit + (changed.isBlank() ? "" : " with uncommitted changes"));
        System.out.println("fixture written to " + fixture);
        try (Stream<Path> files = Files.walk(fixture)) {
            files.filter(Files::isRegularFile).sorted().forEach(file -> System.out.printf(
                    "  %8d  %s%n", size(file), fixture.relativize(file)));
        }
        return fixture;
    }

    /** Writes the fixture into {@code fixture}: {@code store/} (the data directory) and {@code expected.json}. */
    static void write(Path fixture, String writtenBy) throws IOException {
        Path work = Files.createTempDirectory("leadscore-store-fixture");
        Path data = work.resolve(STORE);
        ObjectNode expected = JsonNodeFactory.instance.objectNode();
        expected.put("writtenBy", writtenBy);
        expected.put("clock", NOW.toString());
        expected.put("snapshotLead", SNAPSHOT_LEAD);
        try (InProcessLeadscore running = InProcessLeadscore.start(data, NOW)) {
            PreviousVersionStoreWriter writer = new PreviousVersionStoreWriter(running);
            writer.storeScenario();
            await("the score projection caught up", () -> running.server().internals().axon().projectionCaughtUp());
            await("a snapshot of " + SNAPSHOT_LEAD + " was stored",
                  () -> running.server().internals().engine().readSnapshot(SNAPSHOT_LEAD).isPresent());
            Map<String, Integer> events = StoredHistory.eventsByType(running.server());
            requireEveryEventType(events.keySet());
            expected.set("storedEvents", counts(events));
            expected.put("storedSnapshot", StoredHistory.snapshotType(running.server(), SNAPSHOT_LEAD).orElseThrow());
            expected.set("reads", writer.reads());
        }

        copyCompacted(data, fixture.resolve(STORE));

        // The new writes a later version must take on this store, recorded on a copy of the fixture's store so that
        // it stays as the scenario left it.
        Path copy = work.resolve("after-write");
        RecordedCalls.copyTree(fixture.resolve(STORE), copy);
        try (InProcessLeadscore running = InProcessLeadscore.start(copy, NOW)) {
            await("the score projection caught up", () -> running.server().internals().axon().projectionCaughtUp());
            expected.set("writes", writes(running));
        }
        RecordedCalls.write(fixture.resolve(FILE), expected);
        deleteTree(work);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Copies the closed data directory, the event store compacted: the server commits after every append with its
     * chunk retention at zero, which leaves a small store's file mostly free space (about 1 MB for this scenario).
     * H2's own offline compaction copies every map's live pages as they are (byte for byte, no re-encoding) into a
     * new file; the key file is copied unchanged (a rewrite of its own is what destroys erased keys).
     */
    private static void copyCompacted(Path data, Path store) throws IOException {
        Files.createDirectories(store);
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.sorted().toList()) {
                Path target = store.resolve(file.getFileName().toString());
                if (file.getFileName().toString().equals(EVENT_STORE_FILE)) {
                    MVStoreTool.compact(file.toString(), target.toString(), false);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static JsonNode counts(Map<String, Integer> counts) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        counts.forEach(node::put);
        return node;
    }

    /** Every event class of the server (they carry Axon's {@code @Revision}) must be in the store. */
    private static void requireEveryEventType(Set<String> stored) {
        Set<String> eventClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.leadscore.server").stream()
                .filter(type -> type.isAnnotatedWith(Revision.class))
                .map(JavaClass::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(eventClasses);
        missing.removeAll(stored);
        if (eventClasses.isEmpty() || !missing.isEmpty()) {
            throw new IllegalStateException("the scenario stores no " + missing + " (event classes: " + eventClasses
                                            + "); extend it");
        }
    }

    // ---- the scenario ------------------------------------------------------------------------------------------

    private void storeScenario() {
        modelsChangeUnderTwoQualifiedLeads();
        wonLead();
        lostLead();
        rejectedLead();
        disqualifiedAndReopenedLead();
        slaBreachingLead();
        adjustedLead();
        erasedLead();
        importedLead();
        leadWithImportedOutcomes();
        researchingLead();
        streamedEngagements();
        suppressedLead();
        snapshotLead();
        spend();
        await("the score projection caught up", () -> server.server().internals().axon().projectionCaughtUp());
        // The server's sweep records each breach at NOW, but at no fixed moment: every one is in before the reads.
        await("every MQL unanswered for 24 hours has its SLA breach", () -> leadIds.stream().map(client::getScore)
                .noneMatch(score -> score.getStage() == LeadStage.LEAD_STAGE_MQL && !score.hasSlaBreachedAt()
                                    && !Instant.ofEpochSecond(score.getMqlAt().getSeconds())
                                               .plus(Duration.ofHours(24)).isAfter(NOW)));
        require(client.getScore("lead-sla").hasSlaBreachedAt(), "lead-sla breached the SLA");
    }

    /**
     * Two VPs qualify; a stricter requalifying model sends them back to IQL (LeadRestaged), a rollback returns to
     * default@1 (keep: no stage moves), and the default rules as a requalifying version 3 make them MQLs again. A
     * fourth version stays a draft.
     */
    private void modelsChangeUnderTwoQualifiedLeads() {
        for (String leadId : List.of("lead-requalified-1", "lead-requalified-2")) {
            register(leadId, leadId + "@acme.com", "", "acme.com", "Acme Corp", "webinar", "summer-webinars",
                     NOW.minus(Duration.ofDays(2)));
            profile(leadId, "VP Sales", Seniority.SENIORITY_VP, 300, NOW.minus(Duration.ofDays(2)).plusSeconds(3600));
            engage(engagement(leadId, leadId + "-pricing", "page_view", NOW.minus(Duration.ofHours(6)))
                           .putAttributes("page_category", "pricing"));
            LeadScore mql = engage(engagement(leadId, leadId + "-demo", "demo_requested",
                                              NOW.minus(Duration.ofHours(5))));
            require(mql.getStage() == LeadStage.LEAD_STAGE_MQL, leadId + " is an MQL: " + mql);
        }
        await("the score projection caught up", () -> server.server().internals().axon().projectionCaughtUp());
        ModelServiceGrpc.ModelServiceBlockingStub models = server.models();
        createAndPublish(STRICT_REQUALIFYING, 2);
        require(client.getScore("lead-requalified-1").getStage() == LeadStage.LEAD_STAGE_IQL, "demoted to IQL");
        models.rollbackModel(RollbackModelRequest.getDefaultInstance()).forEachRemaining(message -> { });
        createAndPublish(DEFAULT_REQUALIFYING, 3);
        require(client.getScore("lead-requalified-2").getStage() == LeadStage.LEAD_STAGE_MQL, "requalified");
        models.createModel(CreateModelRequest.newBuilder().setDocument(DRAFT).build());
    }

    private void createAndPublish(String document, int version) {
        ModelServiceGrpc.ModelServiceBlockingStub models = server.models();
        models.createModel(CreateModelRequest.newBuilder().setDocument(document).build());
        models.publishModel(PublishModelRequest.newBuilder().setModelId("default").setVersion(version).build())
              .forEachRemaining(message -> { });
    }

    /** A director at an enterprise: pricing and a demo make an MQL; accepted with BANT, an opportunity, won. */
    private void wonLead() {
        String id = "lead-won";
        qualify(id, "wendy@acme.com", "Wendy Winner", "acme.com", "Acme Corp", "paid_search", "spring-launch",
                "Head of Sales", Seniority.SENIORITY_DIRECTOR, 1200);
        leads.acceptLead(AcceptLeadRequest.newBuilder().setLeadId(id).setActor("sam@sales").setBant(BANT).build());
        leads.recordOpportunity(RecordOpportunityRequest.newBuilder().setLeadId(id).setActor("sam@sales")
                                                        .setAmount(5_000_000).setCurrency("EUR").build());
        leads.closeWon(CloseWonRequest.newBuilder().setLeadId(id).setActor("sam@sales").setAmount(4_800_000)
                                      .setCurrency("EUR").build());
    }

    private void lostLead() {
        String id = "lead-lost";
        qualify(id, "larry@globex.example", "Larry Lost", "globex.example", "Globex Corporation", "paid_search",
                "spring-launch", "VP Operations", Seniority.SENIORITY_VP, 450);
        leads.acceptLead(AcceptLeadRequest.newBuilder().setLeadId(id).setActor("sam@sales").setBant(BANT).build());
        leads.recordOpportunity(RecordOpportunityRequest.newBuilder().setLeadId(id).setActor("sam@sales")
                                                        .setAmount(2_000_000).setCurrency("USD").build());
        leads.closeLost(CloseLostRequest.newBuilder().setLeadId(id).setActor("sam@sales")
                                        .setReasonCode("lost_to_competitor").setReason("Chose a cheaper tool")
                                        .setAmount(2_000_000).setCurrency("USD").build());
    }

    private void rejectedLead() {
        String id = "lead-rejected";
        qualify(id, "rita@acme.com", "Rita Rejected", "acme.com", "Acme Corp", "webinar", "summer-webinars",
                "Marketing Director", Seniority.SENIORITY_DIRECTOR, 1200);
        leads.rejectLead(RejectLeadRequest.newBuilder().setLeadId(id).setActor("sam@sales").setReasonCode("no_budget")
                                          .setReason("Budget frozen until next year").build());
    }

    private void disqualifiedAndReopenedLead() {
        String id = "lead-reopened";
        register(id, "otto@initech.example", "Otto Reopened", "initech.example", "Initech", "organic_search", "",
                 NOW.minus(Duration.ofDays(12)));
        profile(id, "Engineering Manager", Seniority.SENIORITY_MANAGER, 40, NOW.minus(Duration.ofDays(12)));
        leads.disqualifyLead(DisqualifyLeadRequest.newBuilder().setLeadId(id).setActor("sam@sales")
                                                  .setReasonCode("competitor").setReason("Works for a competitor")
                                                  .build());
        leads.reopenLead(ReopenLeadRequest.newBuilder().setLeadId(id).setActor("sam@sales")
                                          .setReason("Left the competitor").build());
    }

    /** An MQL three days ago that sales never answered: the server's sweep records the breach at {@link #NOW}. */
    private void slaBreachingLead() {
        String id = "lead-sla";
        Instant registered = NOW.minus(Duration.ofDays(5));
        register(id, "sly@umbrella.example", "Sly Slow", "umbrella.example", "Umbrella", "paid_search", "",
                 registered);
        profile(id, "VP Marketing", Seniority.SENIORITY_VP, 800, registered.plusSeconds(600));
        engage(engagement(id, "sla-pricing", "page_view", NOW.minus(Duration.ofDays(3)))
                       .putAttributes("page_category", "pricing"));
        LeadScore mql = engage(engagement(id, "sla-demo", "demo_requested",
                                          NOW.minus(Duration.ofDays(3)).plusSeconds(60)));
        require(mql.getStage() == LeadStage.LEAD_STAGE_MQL, id + " is an MQL");
    }

    /** Adjustments by hand: fit for a month, engagement that expired, a permanent deduction. */
    private void adjustedLead() {
        String id = "lead-adjusted";
        Instant registered = NOW.minus(Duration.ofDays(25));
        register(id, "ada@hooli.example", "Ada Adjusted", "hooli.example", "Hooli", "events", "", registered);
        profile(id, "Head of Revenue Operations", Seniority.SENIORITY_DIRECTOR, 2500, registered.plusSeconds(60));
        engage(engagement(id, "adj-webinar-reg", "webinar_registered", NOW.minus(Duration.ofDays(20))));
        engage(engagement(id, "adj-webinar", "webinar_attended", NOW.minus(Duration.ofDays(19))));
        adjust(id, "adj-referral", 5, AdjustedPart.ADJUSTED_PART_FIT, "Referred by a customer",
               NOW.minus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(30)));
        adjust(id, "adj-booth", 10, AdjustedPart.ADJUSTED_PART_ENGAGEMENT, "Conference booth chat",
               NOW.minus(Duration.ofDays(20)), NOW.minus(Duration.ofDays(10)));
        adjust(id, "adj-noise", -3, AdjustedPart.ADJUSTED_PART_UNSPECIFIED, "Bot-like page views",
               NOW.minus(Duration.ofDays(1)), null);
    }

    /** A CTO who became an SQL, with BANT and an adjustment reason, then erased: personal data reads [erased]. */
    private void erasedLead() {
        String id = "lead-erased";
        qualify(id, "erin.erased@initech.example", "Erin Erased", "initech.example", "Initech Ltd", "referral", "",
                "CTO", Seniority.SENIORITY_C_LEVEL, 150);
        adjust(id, "erased-call", 4, AdjustedPart.ADJUSTED_PART_ENGAGEMENT, "Called Erin on her mobile",
               NOW.minus(Duration.ofHours(1)), null);
        leads.acceptLead(AcceptLeadRequest.newBuilder().setLeadId(id).setActor("sam@sales").setBant(BANT).build());
        leads.eraseLead(EraseLeadRequest.newBuilder().setLeadId(id).setActor("dpo@company").build());
    }

    /** One write of a CRM's history: registration, profile, engagements, and SQL, opportunity and a win. */
    private void importedLead() {
        String id = "lead-imported";
        Instant registered = NOW.minus(Duration.ofDays(60));
        leads.importLead(ImportLeadRequest.newBuilder()
                .setRegistration(registration(id, "ivan@stark.example", "Ivan Imported", "stark.example",
                                              "Stark Industries", "crm_import", "legacy", registered))
                .setProfile(UpdateProfileRequest.newBuilder().setLeadId(id).setUpdatedAt(at(registered.plusSeconds(60)))
                                                .setProfile(Profile.newBuilder().setJobTitle("Chief Revenue Officer")
                                                                   .setSeniority(Seniority.SENIORITY_C_LEVEL)
                                                                   .setCompanySize(5000).setCountry("US")
                                                                   .setIndustry("manufacturing")
                                                                   .setAnnualRevenueUsd(900_000_000)))
                .addEngagements(engagement(id, "imp-demo", "demo_requested", registered.plus(Duration.ofHours(2))))
                .addEngagements(engagement(id, "imp-pricing", "page_view", registered.plus(Duration.ofHours(3)))
                                        .putAttributes("page_category", "pricing"))
                .addOutcomes(outcome(id, Outcome.OUTCOME_SQL, registered.plus(Duration.ofDays(10)), 0, ""))
                .addOutcomes(outcome(id, Outcome.OUTCOME_OPPORTUNITY, registered.plus(Duration.ofDays(15)),
                                     1_000_000, "EUR"))
                .addOutcomes(outcome(id, Outcome.OUTCOME_WON, registered.plus(Duration.ofDays(20)), 900_000, "EUR"))
                .build());
        leadIds.add(id);
    }

    /** A live lead whose fate another system decided: lost, then disqualified there. */
    private void leadWithImportedOutcomes() {
        String id = "lead-outcomes";
        Instant registered = NOW.minus(Duration.ofDays(40));
        register(id, "olga@wayne.example", "Olga Outcome", "wayne.example", "Wayne Enterprises", "partner",
                 "reseller-q2", registered);
        client.importOutcome(outcome(id, Outcome.OUTCOME_LOST, NOW.minus(Duration.ofDays(35)), 300_000, "USD")
                                     .setSource("salesforce").build());
        client.importOutcome(outcome(id, Outcome.OUTCOME_DISQUALIFIED, NOW.minus(Duration.ofDays(30)), 0, "")
                                     .setSource("salesforce").build());
    }

    /**
     * Engagements matching every kind of rule and pattern: a video then a form in one session, three pricing visits
     * in a week, the research combination, interactive demos (high intent), e-mails, a follow, a cart, a trial;
     * capped at 100. Free attributes ride along. One by one: a stream's engagements for one lead are applied in no
     * fixed order, and the time the lead qualified would differ from run to run.
     */
    private void researchingLead() {
        String id = "lead-researcher";
        Instant registered = NOW.minus(Duration.ofDays(14));
        register(id, "rhea@acme.com", "Rhea Researcher", "acme.com", "Acme Corp", "email", "nurture-may", registered);
        profile(id, "Director of Marketing", Seniority.SENIORITY_DIRECTOR, 300, registered.plusSeconds(60));
        Instant t = NOW.minus(Duration.ofDays(10));
        engage(engagement(id, "r-video", "video_watched", t).setSessionId("session-1").setChannel("email")
                       .putAttributes("percent_watched", "95").putAttributes("utm_campaign", "nurture-may"));
        engage(engagement(id, "r-form", "form_submitted", t.plusSeconds(120)).setSessionId("session-1")
                       .setChannel("email").putAttributes("form", "contact-sales"));
        for (int i = 0; i < 3; i++) {
            engage(engagement(id, "r-pricing-" + i, "page_view", t.plus(Duration.ofDays(1 + i)))
                           .putAttributes("page_category", "pricing").putAttributes("path", "/pricing"));
        }
        engage(engagement(id, "r-guide", "content_download", t.plus(Duration.ofDays(4)))
                       .putAttributes("asset", "buyers-guide-2026"));
        engage(engagement(id, "r-webinar", "webinar_registered", t.plus(Duration.ofDays(4)).plusSeconds(600)));
        for (int i = 0; i < 3; i++) {
            engage(engagement(id, "r-product-" + i, "page_view", t.plus(Duration.ofDays(5)).plusSeconds(60L * i))
                           .putAttributes("page_category", "product"));
        }
        engage(engagement(id, "r-demo-1", "interactive_demo", t.plus(Duration.ofDays(6))).setSessionId("demo-a")
                       .putAttributes("seconds", "140").putAttributes("completion_percent", "80")
                       .putAttributes("steps_viewed", "7").putAttributes("cta_clicks", "1"));
        engage(engagement(id, "r-demo-2", "interactive_demo", t.plus(Duration.ofDays(7))).setSessionId("demo-b")
                       .putAttributes("seconds", "45"));
        engage(engagement(id, "r-open", "email_opened", t.plus(Duration.ofDays(8))));
        engage(engagement(id, "r-click", "email_clicked", t.plus(Duration.ofDays(8)).plusSeconds(30)));
        engage(engagement(id, "r-follow", "social_follow", t.plus(Duration.ofDays(8)).plusSeconds(60))
                       .putAttributes("network", "linkedin"));
        engage(engagement(id, "r-cart", "cart_added", t.plus(Duration.ofDays(9))));
        engage(engagement(id, "r-trial", "trial_started", t.plus(Duration.ofDays(9)).plusSeconds(600)));
    }

    /** StreamEngagements: one engagement for each of two leads, so that the order they are applied in is moot. */
    private void streamedEngagements() {
        List<Engagement> stream = List.of(
                engagement("lead-adjusted", "stream-open", "email_opened", NOW.minus(Duration.ofDays(1))).build(),
                engagement("lead-reopened", "stream-video", "video_watched", NOW.minus(Duration.ofHours(12)))
                        .putAttributes("percent_watched", "40").build());
        StreamEngagementsResponse streamed = client.streamEngagements(stream.iterator());
        require(streamed.getAccepted() == stream.size(), "every streamed engagement stored: " + streamed);
    }

    /** A student on a personal address: negative fit, floored, and suppressed by the student exclusion. */
    private void suppressedLead() {
        String id = "lead-suppressed";
        Instant registered = NOW.minus(Duration.ofDays(3));
        register(id, "stu.dent@gmail.com", "Stu Dent", "", "", "social", "", registered);
        profile(id, "Marketing Student", Seniority.SENIORITY_INDIVIDUAL_CONTRIBUTOR, 0, registered.plusSeconds(60));
        engage(engagement(id, "stu-demo", "demo_requested", NOW.minus(Duration.ofDays(2))));
    }

    /**
     * A VP at a mid-market software company with 110 blog visits (passive, capped at 10): more than 100 events, so
     * Axon stored a snapshot of the aggregate; an IQL at total 45 (fit 35, engagement 10), short of the MQL rule.
     */
    private void snapshotLead() {
        String id = SNAPSHOT_LEAD;
        Instant registered = NOW.minus(Duration.ofDays(30));
        register(id, "sam.snapshot@snapshot.example", "Sam Snapshot", "snapshot.example", "Snapshot Industries GmbH",
                 "organic_search", "", registered);
        leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId(id)
                                                .setUpdatedAt(at(registered.plusSeconds(3600)))
                                                .setProfile(Profile.newBuilder().setJobTitle("VP Marketing")
                                                                   .setSeniority(Seniority.SENIORITY_VP)
                                                                   .setDepartment("marketing").setCompanySize(300)
                                                                   .setIndustry("software")
                                                                   .setAnnualRevenueUsd(20_000_000).setCountry("DE")
                                                                   .addTechnologies("salesforce")
                                                                   .addTechnologies("hubspot")
                                                                   .addIntentSignals("hiring"))
                                                .build());
        Instant first = NOW.minus(Duration.ofDays(20));
        for (int i = 0; i < 110; i++) {
            engage(engagement(id, String.format("blog-%03d", i), "page_view", first.plus(Duration.ofMinutes(10L * i)))
                           .putAttributes("page_category", "blog").putAttributes("path", "/blog/post-" + i));
        }
    }

    private void spend() {
        recordSpend("spend-paid-search-may", "paid_search", "spring-launch", 150_000_00, "EUR");
        recordSpend("spend-webinar-may", "webinar", "summer-webinars", 20_000_00, "EUR");
        recordSpend("spend-partner-may", "partner", "reseller-q2", 5_000_00, "USD");
    }

    private void recordSpend(String spendId, String channel, String campaign, long amount, String currency) {
        AnalyticsServiceGrpc.newBlockingStub(server.channel()).recordSpend(RecordSpendRequest.newBuilder()
                .setSpendId(spendId).setChannel(channel).setCampaign(campaign)
                .setPeriodStart(at(Instant.parse("2026-05-01T00:00:00Z")))
                .setPeriodEnd(at(Instant.parse("2026-06-01T00:00:00Z"))).setAmount(amount).setCurrency(currency)
                .build());
    }

    // ---- what a later version must answer the same ---------------------------------------------------------

    /** Every read, keyed by a readable name; the test replays them by method name. */
    private ObjectNode reads() {
        ObjectNode reads = JsonNodeFactory.instance.objectNode();
        List<String> ids = leadIds.stream().distinct().sorted().toList();
        for (String id : ids) {
            read(reads, "GetScore " + id, ScoreServiceGrpc.getGetScoreMethod(),
                 GetScoreRequest.newBuilder().setLeadId(id).build());
            read(reads, "GetScoreAt " + id + " a day before", ScoreServiceGrpc.getGetScoreAtMethod(),
                 GetScoreAtRequest.newBuilder().setLeadId(id).setAsOf(at(NOW.minus(Duration.ofDays(1)))).build());
            read(reads, "GetStageHistory " + id, ScoreServiceGrpc.getGetStageHistoryMethod(),
                 GetStageHistoryRequest.newBuilder().setLeadId(id).build());
            read(reads, "ExplainScore " + id, ScoreServiceGrpc.getExplainScoreMethod(),
                 ExplainScoreRequest.newBuilder().setLeadId(id).build());
        }
        read(reads, "BatchGetScores every lead and an unknown one", ScoreServiceGrpc.getBatchGetScoresMethod(),
             BatchGetScoresRequest.newBuilder().addAllLeadIds(ids).addLeadIds("no-such-lead").build());
        read(reads, "GetScore an unknown lead", ScoreServiceGrpc.getGetScoreMethod(),
             GetScoreRequest.newBuilder().setLeadId("no-such-lead").build());
        read(reads, "ListLeads first page by score", ScoreServiceGrpc.getListLeadsMethod(),
             ListLeadsRequest.newBuilder().setPageSize(5).build());
        read(reads, "ListLeads MQLs and SQLs by recency", ScoreServiceGrpc.getListLeadsMethod(),
             ListLeadsRequest.newBuilder().addStages(LeadStage.LEAD_STAGE_MQL).addStages(LeadStage.LEAD_STAGE_SQL)
                             .setOrder(LeadOrder.LEAD_ORDER_RECENCY).build());
        read(reads, "ListLeads of acme.com", ScoreServiceGrpc.getListLeadsMethod(),
             ListLeadsRequest.newBuilder().setAccountDomain("acme.com").build());
        read(reads, "GetAccountScore acme.com", ScoreServiceGrpc.getGetAccountScoreMethod(),
             GetAccountScoreRequest.newBuilder().setAccountDomain("acme.com").build());
        read(reads, "ListModels", ModelServiceGrpc.getListModelsMethod(), ListModelsRequest.getDefaultInstance());
        // default@1 is the built-in document of whichever version runs, not stored: only the stored ones here.
        for (int version = 2; version <= 4; version++) {
            read(reads, "GetModel default@" + version, ModelServiceGrpc.getGetModelMethod(),
                 GetModelRequest.newBuilder().setModelId("default").setVersion(version).build());
        }
        Instant from = NOW.minus(Duration.ofDays(90));
        for (FunnelGrouping grouping : List.of(FunnelGrouping.FUNNEL_GROUPING_CHANNEL,
                                               FunnelGrouping.FUNNEL_GROUPING_CAMPAIGN,
                                               FunnelGrouping.FUNNEL_GROUPING_MONTH)) {
            read(reads, "GetFunnelReport by " + grouping, AnalyticsServiceGrpc.getGetFunnelReportMethod(),
                 GetFunnelReportRequest.newBuilder().setFrom(at(from)).setTo(at(NOW)).setGroupBy(grouping)
                                       .setCurrency("EUR").build());
        }
        read(reads, "RunBacktest default@2 and pricing-only against the active model",
             BacktestServiceGrpc.getRunBacktestMethod(),
             RunBacktestRequest.newBuilder()
                     .addCandidates(CandidateModel.newBuilder().setModelVersion("default@2"))
                     .addCandidates(CandidateModel.newBuilder().setDocument(PRICING_ONLY))
                     .setFrom(at(from)).setTo(at(NOW)).addThresholds(30).addThresholds(60).build());
        return reads;
    }

    private void read(ObjectNode reads, String name, MethodDescriptor<?, ?> method, Message request) {
        if (reads.has(name)) {
            throw new IllegalStateException("two reads named " + name);
        }
        reads.set(name, RecordedCalls.record(server.channel(), method, request));
    }

    /**
     * The new write on the old store, in order: a trial started now by {@link #SNAPSHOT_LEAD} (its aggregate comes
     * from the snapshot and the events after it) makes it an MQL at total 70; then what the reads show of it, and
     * what the aggregates remember of the old events.
     */
    private static ArrayNode writes(InProcessLeadscore running) {
        ArrayNode writes = JsonNodeFactory.instance.arrayNode();
        writes.add(named("RecordEngagement a trial now",
                         RecordedCalls.record(running.channel(), LeadServiceGrpc.getRecordEngagementMethod(),
                                              RecordEngagementRequest.newBuilder().setEngagement(
                                                      engagement(SNAPSHOT_LEAD, "trial-after-upgrade",
                                                                 "trial_started", NOW)).build())));
        await("the score projection caught up", () -> running.server().internals().axon().projectionCaughtUp());
        writes.add(named("GetScore after the trial", RecordedCalls.record(
                running.channel(), ScoreServiceGrpc.getGetScoreMethod(),
                GetScoreRequest.newBuilder().setLeadId(SNAPSHOT_LEAD).build())));
        writes.add(named("GetStageHistory after the trial", RecordedCalls.record(
                running.channel(), ScoreServiceGrpc.getGetStageHistoryMethod(),
                GetStageHistoryRequest.newBuilder().setLeadId(SNAPSHOT_LEAD).build())));
        // What the aggregates remember of the old events, which no read shows: repeats are recognised (sealed
        // details open with the stored keys), refusals stand.
        writes.add(named("RecordEngagement a stored event id again: a duplicate", RecordedCalls.record(
                running.channel(), LeadServiceGrpc.getRecordEngagementMethod(),
                RecordEngagementRequest.newBuilder().setEngagement(
                        engagement(SNAPSHOT_LEAD, "blog-000", "page_view", NOW.minus(Duration.ofDays(20)))
                                .putAttributes("page_category", "blog").putAttributes("path", "/blog/post-0"))
                                       .build())));
        writes.add(named("RegisterLead with the stored details again: already registered", RecordedCalls.record(
                running.channel(), LeadServiceGrpc.getRegisterLeadMethod(),
                registration("lead-won", "wendy@acme.com", "Wendy Winner", "acme.com", "Acme Corp", "paid_search",
                             "spring-launch", NOW.minus(Duration.ofDays(10))).build())));
        writes.add(named("AdjustScore a stored adjustment id again: a duplicate", RecordedCalls.record(
                running.channel(), LeadServiceGrpc.getAdjustScoreMethod(),
                AdjustScoreRequest.newBuilder().setLeadId("lead-adjusted").setAdjustmentId("adj-referral")
                                  .setPoints(5).setPart(AdjustedPart.ADJUSTED_PART_FIT).setActor("sam@sales")
                                  .setReason("Referred by a customer").setEffectiveAt(at(NOW.minus(Duration.ofDays(2))))
                                  .setExpiresAt(at(NOW.plus(Duration.ofDays(30)))).build())));
        writes.add(named("AcceptLead a customer: refused naming the stage", RecordedCalls.record(
                running.channel(), LeadServiceGrpc.getAcceptLeadMethod(),
                AcceptLeadRequest.newBuilder().setLeadId("lead-won").setActor("sam@sales").setBant(BANT).build())));
        writes.add(named("RecordEngagement on the erased lead: refused", RecordedCalls.record(
                running.channel(), LeadServiceGrpc.getRecordEngagementMethod(),
                RecordEngagementRequest.newBuilder().setEngagement(
                        engagement("lead-erased", "after-erasure", "page_view", NOW)).build())));
        writes.add(named("EraseLead again: already erased", RecordedCalls.record(
                running.channel(), LeadServiceGrpc.getEraseLeadMethod(),
                EraseLeadRequest.newBuilder().setLeadId("lead-erased").setActor("dpo@company").build())));
        writes.add(named("RecordSpend a stored spend again: already recorded", RecordedCalls.record(
                running.channel(), AnalyticsServiceGrpc.getRecordSpendMethod(),
                RecordSpendRequest.newBuilder().setSpendId("spend-webinar-may").setChannel("webinar")
                                  .setCampaign("summer-webinars")
                                  .setPeriodStart(at(Instant.parse("2026-05-01T00:00:00Z")))
                                  .setPeriodEnd(at(Instant.parse("2026-06-01T00:00:00Z"))).setAmount(20_000_00)
                                  .setCurrency("EUR").build())));
        writes.add(named("CreateModel a stored version again: already exists", RecordedCalls.record(
                running.channel(), ModelServiceGrpc.getCreateModelMethod(),
                CreateModelRequest.newBuilder().setDocument(STRICT_REQUALIFYING).build())));
        return writes;
    }

    private static ObjectNode named(String name, ObjectNode call) {
        call.put("name", name);
        return call;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Registered ten days ago, profiled, a pricing visit and a demo request a few hours ago: an MQL now. */
    private void qualify(String id, String email, String name, String domain, String accountName, String channel,
                         String campaign, String title, Seniority seniority, int companySize) {
        Instant registered = NOW.minus(Duration.ofDays(10));
        register(id, email, name, domain, accountName, channel, campaign, registered);
        profile(id, title, seniority, companySize, registered.plusSeconds(600));
        engage(engagement(id, id + "-pricing", "page_view", NOW.minus(Duration.ofHours(4)))
                       .putAttributes("page_category", "pricing").putAttributes("utm_source", "google"));
        LeadScore mql = engage(engagement(id, id + "-demo", "demo_requested", NOW.minus(Duration.ofHours(3))));
        require(mql.getStage() == LeadStage.LEAD_STAGE_MQL, id + " is an MQL: " + mql);
    }

    private static RegisterLeadRequest.Builder registration(String id, String email, String name, String domain,
                                                            String accountName, String channel, String campaign,
                                                            Instant registeredAt) {
        return RegisterLeadRequest.newBuilder().setLeadId(id).setEmail(email).setName(name).setAccountDomain(domain)
                                  .setAccountName(accountName).setChannel(channel).setCampaign(campaign)
                                  .setRegisteredAt(at(registeredAt));
    }

    private void register(String id, String email, String name, String domain, String accountName, String channel,
                          String campaign, Instant registeredAt) {
        leadIds.add(id);
        client.registerLead(registration(id, email, name, domain, accountName, channel, campaign, registeredAt)
                                    .build());
    }

    private void profile(String id, String title, Seniority seniority, int companySize, Instant at) {
        client.updateProfile(UpdateProfileRequest.newBuilder().setLeadId(id).setUpdatedAt(at(at))
                                                 .setProfile(Profile.newBuilder().setJobTitle(title)
                                                                    .setSeniority(seniority)
                                                                    .setCompanySize(companySize))
                                                 .build());
    }

    private static Engagement.Builder engagement(String leadId, String eventId, String type, Instant at) {
        return Engagement.newBuilder().setLeadId(leadId).setEventId(eventId).setType(type).setOccurredAt(at(at));
    }

    private LeadScore engage(Engagement.Builder engagement) {
        return client.recordEngagement(engagement.build()).getScore();
    }

    private void adjust(String id, String adjustmentId, double points, AdjustedPart part, String reason,
                        Instant effective, Instant expires) {
        AdjustScoreRequest.Builder request = AdjustScoreRequest.newBuilder().setLeadId(id)
                .setAdjustmentId(adjustmentId).setPoints(points).setPart(part).setActor("sam@sales")
                .setReason(reason).setEffectiveAt(at(effective));
        if (expires != null) {
            request.setExpiresAt(at(expires));
        }
        client.adjustScore(request.build());
    }

    private static ImportOutcomeRequest.Builder outcome(String id, Outcome outcome, Instant at, long amount,
                                                        String currency) {
        return ImportOutcomeRequest.newBuilder().setLeadId(id).setOutcome(outcome).setOccurredAt(at(at))
                                   .setAmount(amount).setCurrency(currency).setSource("crm");
    }

    private static Timestamp at(Instant instant) {
        return InProcessLeadscore.timestamp(instant);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("scenario went differently than planned: " + what);
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String git(Path repository, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
