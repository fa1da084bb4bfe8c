package io.leadscore.client.imports;

import com.google.rpc.BadRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.ImportLeadRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends lead records to the server, many leads at a time, each lead in one call that is stored whole or not at
 * all. The server skips what it has (registration by identical details, engagements by event id, profiles and
 * outcomes by content and time), so an import can be re-run after a failure, and a second run changes nothing.
 */
public final class LeadImporter {

    private final LeadscoreClient client;
    private final int concurrency;

    public LeadImporter(LeadscoreClient client, int concurrency) {
        this.client = client;
        this.concurrency = concurrency;
    }

    /** Imports {@code source}; {@code onLead} is called once per lead sent (for a progress bar). */
    public ImportSummary run(ImportSource source, Runnable onLead) {
        AtomicLong changed = new AtomicLong();
        AtomicLong unchanged = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        List<Rejection> rejections = new ArrayList<>(source.rejections());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "leadscore-import");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Rejection>> results = new ArrayList<>();
            for (LeadRecord record : source.records()) {
                results.add(pool.submit(() -> {
                    try {
                        long stored = send(record);
                        writes.addAndGet(stored);
                        (stored > 0 ? changed : unchanged).incrementAndGet();
                        return null;
                    } catch (StatusRuntimeException e) {
                        return rejection(source.file(), record.line(), e);
                    } finally {
                        onLead.run();
                    }
                }));
            }
            for (Future<Rejection> result : results) {
                Rejection rejection = result.get();
                if (rejection != null) {
                    rejections.add(rejection);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("import failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        rejections.sort(Comparator.comparing(Rejection::file).thenComparingLong(Rejection::line));
        return new ImportSummary(source.rows(), source.records().size(), changed.get(), unchanged.get(), writes.get(),
                                 rejections);
    }

    /**
     * Sends one lead as one {@code ImportLead} call: the server stores its registration, profile, engagements and
     * outcomes in the order they happened, all or none. Answers how many events it stored.
     */
    private long send(LeadRecord record) {
        ImportLeadRequest.Builder request = ImportLeadRequest.newBuilder().setRegistration(record.registration())
                                                             .addAllEngagements(record.engagements())
                                                             .addAllOutcomes(record.outcomes());
        if (record.profile() != null) {
            request.setProfile(record.profile());
        }
        return client.importLead(request.build()).getEventsStored();
    }

    private static Rejection rejection(String file, long line, StatusRuntimeException e) {
        String field = "";
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details != null) {
            for (var any : details.getDetailsList()) {
                if (any.is(BadRequest.class)) {
                    try {
                        var violations = any.unpack(BadRequest.class).getFieldViolationsList();
                        if (!violations.isEmpty()) {
                            field = violations.get(0).getField();
                        }
                    } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                        // the status message below still says what went wrong
                    }
                }
            }
        }
        String description = e.getStatus().getDescription();
        return new Rejection(line, file, e.getStatus().getCode().name(), field, description == null ? "" : description);
    }
}
