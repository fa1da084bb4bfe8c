package io.leadscore.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import com.google.protobuf.Timestamp;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.grpc.stub.StreamObserver;
import io.leadscore.bench.harness.ClosedLoopLoad;
import io.leadscore.bench.harness.LeadscoreProcess;
import io.leadscore.bench.harness.ResultTable;
import io.leadscore.server.eventstore.MongoIndexedEventStorageEngine;
import io.leadscore.server.storage.MongoConnection;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.StreamEngagementsRequest;
import io.leadscore.v1.StreamEngagementsResponse;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Engagement ingest on the embedded store: unary RecordEngagement at 16 in flight and StreamEngagements in batches,
 * each acknowledged only once durable, against raw {@code insertMany} of documents of the same size into the same
 * kind of store (same unique index), measured after the server has stopped.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Engagement ingest (unary and streaming) against raw insertMany into the same store.")
final class IngestBenchmark implements java.util.concurrent.Callable<Integer> {

    private static final String[] TYPES = {"page_view", "email_opened", "email_clicked", "content_download",
                                           "video_watched", "webinar_registered", "form_submitted"};

    @Mixin
    BenchOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--leads", defaultValue = "2000", description = "Leads the engagements go to (default ${DEFAULT-VALUE}).")
    int leads;
    @Option(names = "--unary-in-flight", defaultValue = "16", description = "Unary calls in flight (default ${DEFAULT-VALUE}).")
    int unaryInFlight;
    @Option(names = "--batch", defaultValue = "500", description = "Engagements per stream (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--streams", defaultValue = "4", description = "Streams in flight (default ${DEFAULT-VALUE}).")
    int streams;
    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up seconds per load (default ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--duration", defaultValue = "20", description = "Measured seconds per load (default ${DEFAULT-VALUE}).")
    int durationSeconds;

    private final AtomicLong nextEvent = new AtomicLong();
    /** Event times advance one millisecond per event from a recent start, so every event is in the past. */
    private final Instant firstEventAt = Instant.now().minus(Duration.ofDays(20));

    @Override
    public Integer call() throws Exception {
        Path store = PreparedStores.fresh(options.workDir, "ingest");
        ClosedLoopLoad.Result unary;
        ClosedLoopLoad.Result streamed;
        try (LeadscoreProcess server = options.startServer(store, options.serverHeap,
                                                              Duration.ofMinutes(5))) {
            LeadServiceGrpc.LeadServiceFutureStub leadsStub = LeadServiceGrpc.newFutureStub(server.channel());
            registerLeads(LeadServiceGrpc.newBlockingStub(server.channel()));
            unary = new ClosedLoopLoad(random -> leadsStub.recordEngagement(RecordEngagementRequest.newBuilder()
                    .setEngagement(engagement(random)).build()), unaryInFlight)
                    .run(Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds));
            LeadServiceGrpc.LeadServiceStub streamStub = LeadServiceGrpc.newStub(server.channel());
            streamed = new ClosedLoopLoad(random -> stream(streamStub, random), streams)
                    .run(Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds));
        }
        double rawPerSecond = rawInsertMany(store);

        double unaryPerSecond = unary.callsPerSecond();
        double streamedPerSecond = streamed.callsPerSecond() * batch;
        ResultTable table = new ResultTable("PATH", "EVENTS/S", "P50 ACK MS", "P99 ACK MS", "RATIO TO RAW INSERTMANY")
                .row("RecordEngagement, " + unaryInFlight + " in flight", BenchOptions.fmt(unaryPerSecond),
                     BenchOptions.fmt(unary.millisAt(50)), BenchOptions.fmt(unary.millisAt(99)),
                     BenchOptions.ratio(unaryPerSecond / rawPerSecond))
                .row("StreamEngagements, " + streams + " streams of " + batch, BenchOptions.fmt(streamedPerSecond),
                     BenchOptions.fmt(streamed.millisAt(50)), BenchOptions.fmt(streamed.millisAt(99)),
                     BenchOptions.ratio(streamedPerSecond / rawPerSecond))
                .row("raw insertMany of " + batch + " (baseline)", BenchOptions.fmt(rawPerSecond), "-", "-", "1.00");
        double ratio = streamedPerSecond / rawPerSecond;
        String verdict = String.format(Locale.ROOT, "Target: streaming ingest >= 0.50 of raw insertMany: %.2f: %s.%s",
                                       ratio, ratio >= 0.5 ? "met" : "NOT met",
                                       unary.errors() + streamed.errors() > 0
                                               ? " Failed calls: " + (unary.errors() + streamed.errors()) + "." : "");
        options.record("ingest: embedded store, " + leads + " leads", BenchOptions.command(spec), table, verdict);
        return 0;
    }

    private void registerLeads(LeadServiceGrpc.LeadServiceBlockingStub stub) {
        for (int i = 0; i < leads; i++) {
            stub.registerLead(RegisterLeadRequest.newBuilder().setLeadId("ingest-" + i)
                                                 .setEmail("lead" + i + "@example.com").setAccountDomain("example.com")
                                                 .setChannel("bench").build());
        }
    }

    private Engagement engagement(SplittableRandom random) {
        long n = nextEvent.getAndIncrement();
        Instant at = firstEventAt.plusMillis(n);
        return Engagement.newBuilder().setEventId("ev-" + n).setLeadId("ingest-" + random.nextInt(leads))
                         .setType(TYPES[random.nextInt(TYPES.length)])
                         .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                         .putAttributes("page_category", random.nextInt(10) == 0 ? "pricing" : "blog").build();
    }

    /** One client stream of {@code batch} engagements; completes with the server's single answer. */
    private ListenableFuture<StreamEngagementsResponse> stream(LeadServiceGrpc.LeadServiceStub stub,
                                                               SplittableRandom random) {
        SettableFuture<StreamEngagementsResponse> answer = SettableFuture.create();
        StreamObserver<StreamEngagementsRequest> requests = stub.streamEngagements(new StreamObserver<>() {
            @Override
            public void onNext(StreamEngagementsResponse response) {
                if (response.getRejected() > 0) {
                    answer.setException(new IllegalStateException(response.getRejected() + " rejected: "
                                                                  + response.getRejections(0)));
                } else {
                    answer.set(response);
                }
            }

            @Override
            public void onError(Throwable error) {
                answer.setException(error);
            }

            @Override
            public void onCompleted() {
            }
        });
        for (int i = 0; i < batch; i++) {
            requests.onNext(StreamEngagementsRequest.newBuilder().setEngagement(engagement(random)).build());
        }
        requests.onCompleted();
        return answer;
    }

    /**
     * The ceiling: documents shaped and sized like the stored engagement events, inserted {@code batch} at a time
     * into a new collection of the same store with the same unique key, for as long as each load above ran.
     */
    private double rawInsertMany(Path store) {
        try (MongoConnection connection = MongoConnection.embedded(store)) {
            Document template = connection.database().getCollection(MongoIndexedEventStorageEngine.EVENTS)
                    .find(new Document("_id", 100L)).first();
            if (template == null) {
                throw new IllegalStateException("no stored event to copy the shape of");
            }
            MongoCollection<Document> raw = connection.database().getCollection("raw_insert_baseline");
            raw.createIndex(Indexes.ascending("streamKey"), new IndexOptions().unique(true));
            long id = 0;
            long warmUntil = System.nanoTime() + Duration.ofSeconds(warmupSeconds).toNanos();
            long measuredFrom = 0;
            long measured = 0;
            while (measuredFrom == 0 || System.nanoTime() - measuredFrom < Duration.ofSeconds(durationSeconds).toNanos()) {
                if (measuredFrom == 0 && System.nanoTime() >= warmUntil) {
                    measuredFrom = System.nanoTime();
                }
                List<Document> documents = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++, id++) {
                    Document document = new Document(template);
                    document.put("_id", id);
                    document.put("streamKey", "raw-" + (id % leads) + "\u001f" + id);
                    documents.add(document);
                }
                raw.insertMany(documents);
                if (measuredFrom != 0) {
                    measured += batch;
                }
            }
            return measured / ((System.nanoTime() - measuredFrom) / 1e9);
        }
    }
}
