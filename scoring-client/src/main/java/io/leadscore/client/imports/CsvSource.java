package io.leadscore.client.imports;

import io.leadscore.client.Timestamps;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.UpdateProfileRequest;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a CSV with one lead per row through a {@link CsvMapping}; bad rows become rejections with line numbers. */
public final class CsvSource {

    private final CsvMapping mapping;
    private final DateTimeFormatter format;

    public CsvSource(CsvMapping mapping) {
        this.mapping = mapping;
        this.format = mapping.timeFormat().equals("iso") ? null : DateTimeFormatter.ofPattern(mapping.timeFormat());
    }

    /** A cell that cannot be read. */
    private static final class BadCell extends Exception {
        private final String field;

        BadCell(String field, String reason) {
            super(reason);
            this.field = field;
        }
    }

    public ImportSource read(Path file) throws IOException {
        List<LeadRecord> records = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        String name = file.getFileName().toString();
        CsvRows rows = CsvRows.open(file);
        rows.require(mappedColumns(), "the mapping names");
        long count = rows.forEach(new CsvRows.Handler() {
            @Override
            public void row(CSVRecord row, long line) {
                try {
                    LeadRecord record = record(row, line);
                    Long earlier = seen.putIfAbsent(record.leadId(), line);
                    if (earlier != null) {
                        throw new BadCell(mapping.id().name(), "repeats the lead of line " + earlier);
                    }
                    records.add(record);
                } catch (BadCell e) {
                    rejections.add(new Rejection(line, name, "INVALID_ARGUMENT", e.field, e.getMessage()));
                }
            }

            @Override
            public void broken(long line, String reason) {
                rejections.add(new Rejection(line, name, "INVALID_ARGUMENT", "", reason));
            }
        });
        return new ImportSource(name, count, records, rejections);
    }

    private List<String> mappedColumns() {
        List<CsvMapping.Column> columns = new ArrayList<>();
        columns.add(mapping.id());
        columns.add(mapping.registeredAt());
        columns.addAll(mapping.registration().values());
        columns.add(mapping.profileAt());
        columns.addAll(mapping.profile().values());
        mapping.engagements().forEach(e -> {
            columns.add(e.column());
            columns.add(e.at());
        });
        mapping.outcomes().forEach(o -> {
            columns.add(o.column());
            columns.add(o.at());
        });
        return columns.stream().filter(java.util.Objects::nonNull).map(CsvMapping.Column::name).toList();
    }

    private LeadRecord record(CSVRecord row, long line) throws BadCell {
        String leadId = mapping.id().read(row);
        if (leadId.isEmpty()) {
            throw new BadCell(mapping.id().name(), "the lead id is empty");
        }
        Instant registeredAt = time(row, mapping.registeredAt());
        if (registeredAt == null) {
            throw new BadCell(mapping.registeredAt().name(), "the registration time is empty");
        }
        RegisterLeadRequest.Builder registration = RegisterLeadRequest.newBuilder().setLeadId(leadId)
                .setRegisteredAt(Timestamps.of(registeredAt));
        Map<String, CsvMapping.Column> fields = mapping.registration();
        read(row, fields.get("email")).ifPresent(registration::setEmail);
        read(row, fields.get("account_domain")).ifPresent(registration::setAccountDomain);
        read(row, fields.get("account_name")).ifPresent(registration::setAccountName);
        read(row, fields.get("channel")).ifPresent(registration::setChannel);
        read(row, fields.get("campaign")).ifPresent(registration::setCampaign);

        List<Engagement> engagements = new ArrayList<>();
        for (int i = 0; i < mapping.engagements().size(); i++) {
            engagements.addAll(engagements(row, leadId, registeredAt, i));
        }
        UpdateProfileRequest profile = profile(row, leadId, registeredAt);
        List<ImportOutcomeRequest> outcomes = new ArrayList<>();
        for (CsvMapping.OutcomeColumn column : mapping.outcomes()) {
            String value = column.column().read(row).toUpperCase(Locale.ROOT);
            if (!Arrays.asList("SQL", "OPPORTUNITY", "WON", "LOST", "DISQUALIFIED").contains(value)) {
                continue; // a stage that is no outcome (a lead still in nurture)
            }
            Instant at = time(row, column.at());
            if (at == null) {
                throw new BadCell(column.at().name(), "the outcome " + value + " needs a time");
            }
            outcomes.add(ImportOutcomeRequest.newBuilder().setLeadId(leadId).setOutcome(Outcome.valueOf("OUTCOME_"
                    + value)).setOccurredAt(Timestamps.of(at)).setSource(mapping.source()).build());
        }
        return new LeadRecord(line, registration.build(), engagements, profile, outcomes);
    }

    private List<Engagement> engagements(CSVRecord row, String leadId, Instant registeredAt, int index)
            throws BadCell {
        CsvMapping.EngagementColumn column = mapping.engagements().get(index);
        List<Engagement> result = new ArrayList<>();
        if (column.kind().equals("last_activity")) {
            Instant at = time(row, column.column());
            if (at != null) {
                result.add(engagement(leadId, column, at, "csv" + index + "-" + at.getEpochSecond()));
            }
            return result;
        }
        String cell = column.column().read(row);
        int count;
        try {
            count = cell.isEmpty() ? 0 : (int) Math.round(Double.parseDouble(cell));
        } catch (NumberFormatException e) {
            throw new BadCell(column.column().name(), "not a count: '" + cell + "'");
        }
        if (count < 0) {
            throw new BadCell(column.column().name(), "a count cannot be negative");
        }
        Instant at = column.at() == null ? registeredAt : time(row, column.at());
        at = at == null ? registeredAt : at;
        // Ids by ordinal: a later export with a higher count adds only the new engagements.
        for (int k = 0; k < Math.min(count, column.maxCount()); k++) {
            result.add(engagement(leadId, column, at, "csv" + index + "-" + column.type() + "-" + k));
        }
        return result;
    }

    private static Engagement engagement(String leadId, CsvMapping.EngagementColumn column, Instant at, String id) {
        return Engagement.newBuilder().setEventId(id).setLeadId(leadId).setType(column.type())
                         .setOccurredAt(Timestamps.of(at)).putAllAttributes(column.attributes()).build();
    }

    private UpdateProfileRequest profile(CSVRecord row, String leadId, Instant registeredAt) throws BadCell {
        Map<String, CsvMapping.Column> fields = mapping.profile();
        if (fields.isEmpty()) {
            return null;
        }
        Profile.Builder profile = Profile.newBuilder();
        read(row, fields.get("job_title")).ifPresent(profile::setJobTitle);
        read(row, fields.get("department")).ifPresent(v -> profile.setDepartment(v.toLowerCase(Locale.ROOT)));
        read(row, fields.get("industry")).ifPresent(v -> profile.setIndustry(v.toLowerCase(Locale.ROOT)));
        read(row, fields.get("country")).ifPresent(v -> profile.setCountry(v.toUpperCase(Locale.ROOT)));
        var seniority = read(row, fields.get("seniority"));
        if (seniority.isPresent()) {
            try {
                profile.setSeniority(Seniority.valueOf("SENIORITY_" + seniority.get().toUpperCase(Locale.ROOT)
                                                                                  .replace(' ', '_')));
            } catch (IllegalArgumentException e) {
                throw new BadCell(fields.get("seniority").name(), "'" + seniority.get() + "' is not a seniority "
                        + "(individual_contributor, manager, director, vp, c_level, owner); map it with values:");
            }
        }
        var size = read(row, fields.get("company_size"));
        if (size.isPresent()) {
            profile.setCompanySize((int) number(size.get(), fields.get("company_size")));
        }
        var revenue = read(row, fields.get("annual_revenue_usd"));
        if (revenue.isPresent()) {
            profile.setAnnualRevenueUsd(number(revenue.get(), fields.get("annual_revenue_usd")));
        }
        read(row, fields.get("technologies")).ifPresent(v -> profile.addAllTechnologies(list(v)));
        read(row, fields.get("intent_signals")).ifPresent(v -> profile.addAllIntentSignals(list(v)));
        if (profile.build().equals(Profile.getDefaultInstance())) {
            return null;
        }
        Instant observed = mapping.profileAt() == null ? null : time(row, mapping.profileAt());
        return UpdateProfileRequest.newBuilder().setLeadId(leadId).setProfile(profile)
                                   .setUpdatedAt(Timestamps.of(observed == null ? registeredAt : observed))
                                   .build();
    }

    private static List<String> list(String cell) {
        return Arrays.stream(cell.split("[;,|]")).map(String::trim).filter(v -> !v.isEmpty())
                     .map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    private static long number(String cell, CsvMapping.Column column) throws BadCell {
        try {
            return Math.round(Double.parseDouble(cell.replace("_", "")));
        } catch (NumberFormatException e) {
            throw new BadCell(column.name(), "not a number: '" + cell + "'");
        }
    }

    private static java.util.Optional<String> read(CSVRecord row, CsvMapping.Column column) {
        if (column == null) {
            return java.util.Optional.empty();
        }
        String value = column.read(row);
        return value.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(value);
    }

    /** The cell as an instant: with its own offset if it has one, else in the mapping's zone; null when empty. */
    private Instant time(CSVRecord row, CsvMapping.Column column) throws BadCell {
        String cell = column.read(row);
        if (cell.isEmpty()) {
            return null;
        }
        try {
            if (format == null) {
                try {
                    return OffsetDateTime.parse(cell).toInstant();
                } catch (DateTimeParseException notOffset) {
                    try {
                        return LocalDateTime.parse(cell).atZone(mapping.zone()).toInstant();
                    } catch (DateTimeParseException notLocal) {
                        return LocalDate.parse(cell).atStartOfDay(mapping.zone()).toInstant();
                    }
                }
            }
            TemporalAccessor parsed = format.parseBest(cell, OffsetDateTime::from, LocalDateTime::from,
                                                       LocalDate::from);
            if (parsed instanceof OffsetDateTime offset) {
                return offset.toInstant();
            }
            if (parsed instanceof LocalDateTime local) {
                return local.atZone(mapping.zone()).toInstant();
            }
            return ((LocalDate) parsed).atStartOfDay(mapping.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadCell(column.name(), "not a time" + (format == null ? " (ISO-8601)" : " like "
                    + mapping.timeFormat()) + ": '" + cell + "'");
        }
    }
}
