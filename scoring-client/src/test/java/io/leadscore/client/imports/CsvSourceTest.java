package io.leadscore.client.imports;

import io.leadscore.v1.Outcome;
import io.leadscore.v1.Seniority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvSourceTest {

    private static final String MAPPING = """
            source: crm
            id: {column: id, prefix: "crm-"}
            registered_at: created
            timezone: Europe/Berlin
            registration:
              channel: {column: source, values: {Paid Search: paid_search}, default: unknown}
            profile:
              seniority: {column: level, values: {Boss: c_level}}
              company_size: employees
              technologies: stack
            engagements:
              - {count: visits, type: page_view, max_count: 3}
              - {last_activity: demo, type: demo_requested}
            outcomes:
              - {column: stage, values: {customer: WON}, at: stage_date}
            """;

    @TempDir
    Path dir;

    private ImportSource read(String csv) throws IOException {
        Files.writeString(dir.resolve("mapping.yaml"), MAPPING);
        Files.writeString(dir.resolve("leads.csv"), csv);
        return new CsvSource(CsvMapping.read(dir.resolve("mapping.yaml"))).read(dir.resolve("leads.csv"));
    }

    @Test
    void rowsBecomeRegistrationsProfilesEngagementsAndOutcomes() throws IOException {
        ImportSource source = read("""
                id,created,source,level,employees,stack,visits,demo,stage,stage_date
                7,2026-03-02T10:00:00,Paid Search,Boss,250,salesforce; HubSpot,5,2026-03-04T09:00:00Z,customer,2026-04-01
                """);

        assertThat(source.rejections()).isEmpty();
        LeadRecord lead = source.records().get(0);
        assertThat(lead.leadId()).isEqualTo("crm-7");
        assertThat(lead.line()).isEqualTo(2);
        assertThat(lead.registration().getChannel()).isEqualTo("paid_search");
        // Local times are in the mapping's zone: 10:00 in Berlin in March is 09:00 UTC.
        assertThat(lead.registration().getRegisteredAt().getSeconds())
                .isEqualTo(Instant.parse("2026-03-02T09:00:00Z").getEpochSecond());
        assertThat(lead.profile().getProfile().getSeniority()).isEqualTo(Seniority.SENIORITY_C_LEVEL);
        assertThat(lead.profile().getProfile().getCompanySize()).isEqualTo(250);
        assertThat(lead.profile().getProfile().getTechnologiesList()).containsExactly("salesforce", "hubspot");
        // Five visits, at most three recorded; ids by ordinal, so a re-import finds them stored.
        assertThat(lead.engagements()).extracting(e -> e.getEventId())
                .containsExactly("csv0-page_view-0", "csv0-page_view-1", "csv0-page_view-2",
                                 "csv1-" + Instant.parse("2026-03-04T09:00:00Z").getEpochSecond());
        assertThat(lead.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.getOutcome()).isEqualTo(Outcome.OUTCOME_WON);
            assertThat(o.getSource()).isEqualTo("crm");
        });
    }

    @Test
    void badRowsAreRejectedWithTheirLineNumbers() throws IOException {
        ImportSource source = read("""
                id,created,source,level,employees,stack,visits,demo,stage,stage_date
                1,2026-03-02,,,,,,,,
                ,2026-03-02,,,,,,,,
                3,yesterday,,,,,,,,
                4,2026-03-02,,Intern,,,,,,
                5,2026-03-02,,,,,many,,,
                6,2026-03-02,,,,,,,customer,
                1,2026-03-02,,,,,,,,
                8,2026-03-02,"Paid
                Search",,,,,,,
                """);

        assertThat(source.records()).extracting(LeadRecord::leadId).containsExactly("crm-1", "crm-8");
        assertThat(source.records().get(0).registration().getChannel()).isEqualTo("unknown");
        assertThat(source.rejections()).extracting(r -> r.line() + " " + r.field())
                .containsExactly("3 id", "4 created", "5 level", "6 visits", "7 stage_date", "8 id");
        assertThat(source.rejections().get(5).reason()).contains("line 2");
        assertThat(source.rows()).isEqualTo(8);
    }

    @Test
    void aRowWithTooFewOrTooManyValuesIsRejectedWithItsLineAndTheRestImports() throws IOException {
        ImportSource source = read("""
                id,created,source,level,employees,stack,visits,demo,stage,stage_date
                1,2026-03-02,,,,,,,,
                2,2026-03-02,Paid Search
                3,2026-03-02,,,,,,,,,extra
                4,2026-03-02,,,,,,,,
                """);

        assertThat(source.records()).extracting(LeadRecord::leadId).containsExactly("crm-1", "crm-4");
        assertThat(source.rejections()).extracting(r -> r.file() + ":" + r.line() + " " + r.reason())
                .containsExactly("leads.csv:3 has 3 values where the header has 10 columns",
                                 "leads.csv:4 has 11 values where the header has 10 columns");
        assertThat(source.rows()).isEqualTo(4);
    }

    @Test
    void anUnclosedQuoteIsRejectedOnTheLineItOpensAndTheLinesAfterItImport() throws IOException {
        ImportSource source = read("""
                id,created,source,level,employees,stack,visits,demo,stage,stage_date
                1,2026-03-02,,,,,,,,
                2,2026-03-02,"Paid Search,,,,,,,,

                3,2026-03-02,,,,,,,,
                4,2026-03-02,"Paid"Search,,,,,,,,
                5,2026-03-02,"Paid
                Search",,,,,,,
                6,2026-03-02,,,,,,,,
                """);

        assertThat(source.records()).extracting(LeadRecord::leadId).containsExactly("crm-1", "crm-3", "crm-5", "crm-6");
        assertThat(source.records()).extracting(LeadRecord::line).containsExactly(2L, 5L, 7L, 9L);
        assertThat(source.rejections()).extracting(r -> r.line() + " " + r.reason())
                .containsExactly("3 " + CsvRows.BROKEN_QUOTING, "6 " + CsvRows.BROKEN_QUOTING);
        assertThat(source.rows()).isEqualTo(6);
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsNoPartOfTheFirstColumn() throws IOException {
        ImportSource source = read("""
                \uFEFFid,created,source,level,employees,stack,visits,demo,stage,stage_date
                1,2026-03-02,,,,,,,,
                """);

        assertThat(source.records()).extracting(LeadRecord::leadId).containsExactly("crm-1");
    }

    @Test
    void aMappingWithMistakesListsThemAll() throws IOException {
        Files.writeString(dir.resolve("broken.yaml"), """
                id: id
                registred_at: created
                engagements:
                  - {count: visits}
                outcomes:
                  - {column: stage, values: {customer: SOLD}, at: when}
                """);

        assertThatThrownBy(() -> CsvMapping.read(dir.resolve("broken.yaml")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("registred_at: unknown key")
                .hasMessageContaining("registered_at: is required")
                .hasMessageContaining("engagements[0].type: is required")
                .hasMessageContaining("'SOLD' is not SQL");
    }

    @Test
    void theDocumentedExampleReadsWithoutRejections() throws IOException {
        Path examples = Path.of("..", "ops", "examples");
        ImportSource source = new CsvSource(CsvMapping.read(examples.resolve("crm-mapping.yaml")))
                .read(examples.resolve("crm-export.csv"));

        assertThat(source.rejections()).isEmpty();
        assertThat(source.records()).hasSize(5);
    }
}
