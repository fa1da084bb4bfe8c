package io.leadscore.client.imports;

import io.leadscore.client.Timestamps;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.UpdateProfileRequest;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Olist marketing funnel (Kaggle, CC BY-NC-SA 4.0): one lead per marketing qualified lead, registered at
 * its first-contact date with its origin as channel and its landing page as campaign, plus the landing-page form
 * fill that made it a contact; a won deal adds the fit data Olist collected (segment as industry, declared monthly
 * revenue times 12 as annual revenue, in BRL as declared) and the win, both at the won date, so that nothing the
 * sale revealed is known before it.
 */
public final class OlistSource {

    public static final String LEADS_FILE = "olist_marketing_qualified_leads_dataset.csv";
    public static final String DEALS_FILE = "olist_closed_deals_dataset.csv";
    private static final DateTimeFormatter CONTACT_DATE = DateTimeFormatter.ofPattern("dd-MM-yyyy");
    private static final DateTimeFormatter WON_DATE = DateTimeFormatter.ofPattern("dd-MM-yyyy HH:mm");

    private OlistSource() {
    }

    public static ImportSource read(Path directory) throws IOException {
        List<Rejection> rejections = new ArrayList<>();
        Map<String, Lead> leads = new LinkedHashMap<>();
        CsvRows leadRows = CsvRows.open(directory.resolve(LEADS_FILE));
        leadRows.require(List.of("mql_id", "first_contact_date", "origin", "landing_page_id"), "Olist has");
        CsvRows dealRows = CsvRows.open(directory.resolve(DEALS_FILE));
        dealRows.require(List.of("mql_id", "won_date", "business_segment", "declared_monthly_revenue"), "Olist has");
        long rows = leadRows.forEach(new CsvRows.Handler() {
            @Override
            public void row(CSVRecord row, long line) {
                readLead(row, line, leads, rejections);
            }

            @Override
            public void broken(long line, String reason) {
                rejections.add(new Rejection(line, LEADS_FILE, "INVALID_ARGUMENT", "", reason));
            }
        });
        rows += dealRows.forEach(new CsvRows.Handler() {
            @Override
            public void row(CSVRecord row, long line) {
                readDeal(row, line, leads, rejections);
            }

            @Override
            public void broken(long line, String reason) {
                rejections.add(new Rejection(line, DEALS_FILE, "INVALID_ARGUMENT", "", reason));
            }
        });
        List<LeadRecord> records = leads.values().stream().map(Lead::toRecord).toList();
        return new ImportSource(LEADS_FILE, rows, records, rejections);
    }

    private static void readLead(CSVRecord row, long line, Map<String, Lead> leads, List<Rejection> rejections) {
        String id = row.get("mql_id");
        try {
            LocalDate contact = LocalDate.parse(row.get("first_contact_date"), CONTACT_DATE);
            if (leads.containsKey(id)) {
                rejections.add(new Rejection(line, LEADS_FILE, "INVALID_ARGUMENT", "mql_id",
                                             "repeats the lead of line " + leads.get(id).line));
                return;
            }
            leads.put(id, new Lead(line, id, contact, row.get("origin"), row.get("landing_page_id")));
        } catch (DateTimeParseException e) {
            rejections.add(new Rejection(line, LEADS_FILE, "INVALID_ARGUMENT", "first_contact_date",
                                         "not a dd-mm-yyyy date: '" + row.get("first_contact_date") + "'"));
        }
    }

    private static void readDeal(CSVRecord row, long line, Map<String, Lead> leads, List<Rejection> rejections) {
        Lead lead = leads.get(row.get("mql_id"));
        if (lead == null) {
            rejections.add(new Rejection(line, DEALS_FILE, "INVALID_ARGUMENT", "mql_id",
                                         "no such lead in " + LEADS_FILE));
            return;
        }
        try {
            lead.wonAt = LocalDateTime.parse(row.get("won_date"), WON_DATE);
            lead.segment = row.get("business_segment");
            String revenue = row.get("declared_monthly_revenue");
            lead.monthlyRevenue = revenue.isBlank() ? 0 : Math.round(Double.parseDouble(revenue));
        } catch (DateTimeParseException e) {
            rejections.add(new Rejection(line, DEALS_FILE, "INVALID_ARGUMENT", "won_date",
                                         "not a dd-mm-yyyy HH:mm time: '" + row.get("won_date") + "'"));
        } catch (NumberFormatException e) {
            rejections.add(new Rejection(line, DEALS_FILE, "INVALID_ARGUMENT", "declared_monthly_revenue",
                                         "not a number: '" + row.get("declared_monthly_revenue") + "'"));
        }
    }

    /** One lead as the two files describe it. */
    private static final class Lead {
        private final long line;
        private final String id;
        private final LocalDate contact;
        private final String origin;
        private final String landingPage;
        private LocalDateTime wonAt;
        private String segment = "";
        private long monthlyRevenue;

        Lead(long line, String id, LocalDate contact, String origin, String landingPage) {
            this.line = line;
            this.id = id;
            this.contact = contact;
            this.origin = origin;
            this.landingPage = landingPage;
        }

        LeadRecord toRecord() {
            var contactedAt = Timestamps.of(contact.atStartOfDay().toInstant(ZoneOffset.UTC));
            RegisterLeadRequest registration = RegisterLeadRequest.newBuilder()
                    .setLeadId(id).setChannel(origin).setCampaign(landingPage).setRegisteredAt(contactedAt).build();
            Engagement formFill = Engagement.newBuilder()
                    .setEventId("olist-first-contact").setLeadId(id).setType("form_submitted")
                    .setOccurredAt(contactedAt).setChannel(origin).putAttributes("landing_page_id", landingPage)
                    .build();
            UpdateProfileRequest profile = null;
            List<ImportOutcomeRequest> outcomes = new ArrayList<>();
            if (wonAt != null) {
                var won = Timestamps.of(wonAt.toInstant(ZoneOffset.UTC));
                if (!segment.isBlank() || monthlyRevenue > 0) {
                    profile = UpdateProfileRequest.newBuilder().setLeadId(id).setUpdatedAt(won)
                            .setProfile(Profile.newBuilder().setIndustry(segment)
                                               .setAnnualRevenueUsd(monthlyRevenue * 12)).build();
                }
                outcomes.add(ImportOutcomeRequest.newBuilder().setLeadId(id).setOutcome(Outcome.OUTCOME_WON)
                                                 .setOccurredAt(won).setSource("olist").build());
            }
            return new LeadRecord(line, registration, List.of(formFill), profile, outcomes);
        }
    }
}
