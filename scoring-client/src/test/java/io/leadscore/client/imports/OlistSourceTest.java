package io.leadscore.client.imports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Olist files read like any CSV: a row that cannot be read is a rejection with its file and line. */
class OlistSourceTest {

    @TempDir
    Path dir;

    @Test
    void aShortRowInEitherFileIsRejectedAndTheRestImports() throws IOException {
        Files.writeString(dir.resolve(OlistSource.LEADS_FILE), """
                mql_id,first_contact_date,landing_page_id,origin
                m1,01-02-2018,lp1,paid_search
                m2,01-02-2018
                m3,02-02-2018,lp2,email
                """);
        Files.writeString(dir.resolve(OlistSource.DEALS_FILE), """
                mql_id,won_date,business_segment,declared_monthly_revenue
                m1,05-03-2018 10:00,pet,"1000
                m3,06-03-2018 11:00,toys,2000
                """);

        ImportSource source = OlistSource.read(dir);

        assertThat(source.records()).extracting(LeadRecord::leadId).containsExactly("m1", "m3");
        assertThat(source.records().get(1).outcomes()).hasSize(1);
        assertThat(source.rejections()).extracting(r -> r.file() + ":" + r.line())
                .containsExactly(OlistSource.LEADS_FILE + ":3", OlistSource.DEALS_FILE + ":2");
        assertThat(source.rows()).isEqualTo(5);
    }
}
