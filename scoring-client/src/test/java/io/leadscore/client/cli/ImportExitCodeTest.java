package io.leadscore.client.cli;

import io.grpc.stub.StreamObserver;
import io.leadscore.v1.EngagementRejection;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.StreamEngagementsRequest;
import io.leadscore.v1.StreamEngagementsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An import that refused part of its input says so in its exit code (3), so a script cannot take it for complete. */
class ImportExitCodeTest {

    /** Stores every registration; refuses engagements of the type "teleported", as an unknown type. */
    private static final class LeadService extends LeadServiceGrpc.LeadServiceImplBase {
        // The importer sends several leads at a time: registrations arrive in any order, from several threads.
        final List<String> registered = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void importLead(io.leadscore.v1.ImportLeadRequest request,
                               StreamObserver<io.leadscore.v1.ImportLeadResponse> response) {
            registered.add(request.getRegistration().getLeadId());
            response.onNext(io.leadscore.v1.ImportLeadResponse.newBuilder().setEventsStored(1).build());
            response.onCompleted();
        }

        @Override
        public StreamObserver<StreamEngagementsRequest> streamEngagements(
                StreamObserver<StreamEngagementsResponse> response) {
            StreamEngagementsResponse.Builder summary = StreamEngagementsResponse.newBuilder();
            return new StreamObserver<>() {
                long index;

                @Override
                public void onNext(StreamEngagementsRequest request) {
                    if (request.getEngagement().getType().equals("teleported")) {
                        summary.setRejected(summary.getRejected() + 1).addRejections(EngagementRejection.newBuilder()
                                .setIndex(index).setCode("INVALID_ARGUMENT").setField("type")
                                .setReason("unknown engagement type"));
                    } else {
                        summary.setAccepted(summary.getAccepted() + 1);
                    }
                    index++;
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    response.onNext(summary.build());
                    response.onCompleted();
                }
            };
        }
    }

    private final LeadService leads = new LeadService();
    private final CliRun cli = new CliRun(leads);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        cli.close();
    }

    private Path file(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void importJsonlExitsThreeWhenALineIsRefused() throws IOException {
        Path file = file("engagements.jsonl", """
                {"eventId":"e1","leadId":"lead-1","type":"page_view","occurredAt":"2026-01-05T10:00:00Z"}
                {"eventId":"e2","leadId":"lead-1","type":"teleported","occurredAt":"2026-01-05T10:01:00Z"}
                not json
                """);

        CliRun.Result result = cli.run("import-jsonl", file.toString(), "--json");

        assertThat(result.exit()).isEqualTo(ExitCodes.PARTLY_REJECTED);
        assertThat(result.out()).contains("\"accepted\":1").contains("\"rejected\":2")
                                .contains("{\"line\":2,\"code\":\"INVALID_ARGUMENT\",\"field\":\"type\"")
                                .contains("{\"line\":3,");
    }

    @Test
    void importJsonlExitsZeroWhenEveryLineIsStored() throws IOException {
        Path file = file("engagements.jsonl", """
                {"eventId":"e1","leadId":"lead-1","type":"page_view","occurredAt":"2026-01-05T10:00:00Z"}
                """);

        assertThat(cli.run("import-jsonl", file.toString()).exit()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void importCsvReportsAShortRowAndAnOpenQuoteByLineImportsTheRestAndExitsThree() throws IOException {
        Path mapping = file("mapping.yaml", """
                source: crm
                id: id
                registered_at: created
                registration:
                  channel: source
                """);
        Path csv = file("leads.csv", """
                id,created,source
                1,2026-03-02T10:00:00Z,web
                2,2026-03-02T10:00:00Z
                3,2026-03-02T10:00:00Z,"web
                4,2026-03-02T10:00:00Z,email
                """);

        CliRun.Result table = cli.run("import", "csv", "--mapping", mapping.toString(), csv.toString());
        CliRun.Result json = cli.run("import", "csv", "--mapping", mapping.toString(), csv.toString(), "--json");

        assertThat(table.exit()).isEqualTo(ExitCodes.PARTLY_REJECTED);
        assertThat(table.err()).doesNotContain("Exception");
        assertThat(leads.registered).containsExactlyInAnyOrder("1", "4", "1", "4");
        assertThat(table.out()).contains("leads.csv  3     INVALID_ARGUMENT  -      has 2 values where the header has "
                                         + "3 columns")
                               .contains("leads.csv  4     INVALID_ARGUMENT  -      a quoted value that starts on "
                                         + "this line is not closed");
        assertThat(json.exit()).isEqualTo(ExitCodes.PARTLY_REJECTED);
        assertThat(json.out()).contains("\"rows\":4").contains("\"leads\":2")
                              .contains("{\"line\":3,\"file\":\"leads.csv\",\"code\":\"INVALID_ARGUMENT\",\"field\":\"\","
                                        + "\"reason\":\"has 2 values where the header has 3 columns\"}")
                              .contains("{\"line\":4,\"file\":\"leads.csv\"");
    }

    @Test
    void importCsvExitsZeroWhenEveryRowImports() throws IOException {
        Path mapping = file("mapping.yaml", "id: id\nregistered_at: created\n");
        Path csv = file("leads.csv", "id,created\n1,2026-03-02T10:00:00Z\n");

        assertThat(cli.run("import", "csv", "--mapping", mapping.toString(), csv.toString()).exit())
                .isEqualTo(ExitCodes.OK);
    }
}
