package io.leadscore.bench;

import com.google.protobuf.Timestamp;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.WatchLeadsRequest;
import io.leadscore.v1.WatchLeadsResponse;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How soon a change is visible after the command that made it has been answered: a demo request that makes a lead an
 * MQL is recorded; from the moment its reply arrives, GetScore is polled until it shows the lead as an MQL, and the
 * WatchLeads alert of the stage change is timed on an open watch. An alert that arrives before the reply counts as
 * zero (it is visible the moment the caller learns of the change).
 */
@Command(name = "freshness", mixinStandardHelpOptions = true,
        description = "Time from a command's reply to the change showing in GetScore and in WatchLeads.")
final class FreshnessBenchmark implements Callable<Integer> {

    @Mixin
    BenchOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--leads", defaultValue = "300", description = "Leads made MQLs, one at a time (default ${DEFAULT-VALUE}).")
    int leads;
    @Option(names = "--warmup", defaultValue = "100", description = "Leads made MQLs before measuring (default ${DEFAULT-VALUE}).")
    int warmup;

    private final Map<String, Long> alertArrivals = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        Path store = PreparedStores.fresh(options.workDir, "freshness");
        Histogram getScore = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram watch = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        int alertsBeforeReply = 0;
        try (LeadscoreProcess server = options.startServer(store, options.serverHeap,
                                                              Duration.ofMinutes(5))) {
            Context.CancellableContext watching = Context.current().withCancellation();
            watching.run(() -> ScoreServiceGrpc.newStub(server.channel()).watchLeads(
                    WatchLeadsRequest.newBuilder().addStages(LeadStage.LEAD_STAGE_MQL).build(), new StreamObserver<>() {
                        @Override
                        public void onNext(WatchLeadsResponse alert) {
                            alertArrivals.putIfAbsent(alert.getLeadId(), System.nanoTime());
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    }));
            LeadServiceGrpc.LeadServiceBlockingStub commands = LeadServiceGrpc.newBlockingStub(server.channel());
            ScoreServiceGrpc.ScoreServiceBlockingStub scores = ScoreServiceGrpc.newBlockingStub(server.channel());
            Thread.sleep(500); // the watch is open before the first change
            for (int i = 0; i < warmup + leads; i++) {
                String leadId = "fresh-" + i;
                prepare(commands, leadId);
                commands.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                        engagement(leadId, "demo-" + i, "demo_requested")).build());
                long replied = System.nanoTime();
                while (!isMql(scores, leadId)) {
                    Thread.onSpinWait();
                }
                long visible = System.nanoTime();
                long deadline = replied + TimeUnit.SECONDS.toNanos(10);
                while (!alertArrivals.containsKey(leadId) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                Long alerted = alertArrivals.get(leadId);
                if (alerted == null) {
                    throw new IllegalStateException("no MQL alert for " + leadId + " within 10 s");
                }
                if (i >= warmup) {
                    getScore.recordValue(visible - replied);
                    watch.recordValue(Math.max(0, alerted - replied));
                    alertsBeforeReply += alerted < replied ? 1 : 0;
                }
            }
            watching.cancel(null);
        }
        ResultTable table = new ResultTable("VISIBLE IN", "P50 MS", "P99 MS", "MAX MS", "SAMPLES")
                .row("GetScore (polled after the reply)", ms(getScore, 50), ms(getScore, 99), ms(getScore, 100),
                     getScore.getTotalCount())
                .row("WatchLeads (" + alertsBeforeReply + " of " + leads + " alerts before the reply)",
                     ms(watch, 50), ms(watch, 99), ms(watch, 100), watch.getTotalCount());
        double worst = Math.max(getScore.getValueAtPercentile(99), watch.getValueAtPercentile(99)) / 1e6;
        options.record("freshness: embedded store", BenchOptions.command(spec), table,
                       String.format(Locale.ROOT, "Target: p99 <= 50 ms: %.3f ms: %s.", worst,
                                     worst <= 50 ? "met" : "NOT met"));
        return 0;
    }

    /** A VP at a 250-person company who looked at pricing: one demo request from an MQL. */
    private static void prepare(LeadServiceGrpc.LeadServiceBlockingStub leads, String leadId) {
        leads.registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.example")
                                              .setAccountDomain("acme.example").setChannel("bench").build());
        leads.updateProfile(UpdateProfileRequest.newBuilder().setLeadId(leadId).setProfile(
                Profile.newBuilder().setJobTitle("VP Marketing").setSeniority(Seniority.SENIORITY_VP)
                       .setCompanySize(250)).build());
        leads.recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                engagement(leadId, "pricing-" + leadId, "page_view").toBuilder()
                        .putAttributes("page_category", "pricing")).build());
    }

    private static Engagement engagement(String leadId, String eventId, String type) {
        Instant at = Instant.now().minusSeconds(1);
        return Engagement.newBuilder().setEventId(eventId).setLeadId(leadId).setType(type)
                         .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                         .build();
    }

    /** Whether GetScore shows the lead as an MQL; a lead the score projection has not seen yet is NOT_FOUND. */
    private static boolean isMql(ScoreServiceGrpc.ScoreServiceBlockingStub scores, String leadId) {
        try {
            return scores.getScore(GetScoreRequest.newBuilder().setLeadId(leadId).build()).getScore().getStage()
                   == LeadStage.LEAD_STAGE_MQL;
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static String ms(Histogram histogram, double percentile) {
        return String.format(Locale.ROOT, "%.3f", (percentile >= 100 ? histogram.getMaxValue()
                : histogram.getValueAtPercentile(percentile)) / 1e6);
    }
}
