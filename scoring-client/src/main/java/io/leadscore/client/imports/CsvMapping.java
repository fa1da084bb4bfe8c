package io.leadscore.client.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the columns of a CSV of leads (one row per lead, such as a CRM export) become Leadscore facts. Read from a
 * YAML file; {@code ops/examples/crm-mapping.yaml} documents every key. Unknown keys are errors, so a typo cannot
 * silently drop a column.
 *
 * @param source          the name outcomes are recorded under, such as "hubspot"
 * @param timeFormat      a {@link DateTimeFormatter} pattern for every time column, or "iso" (ISO-8601)
 * @param zone            the zone of times without an offset
 * @param id              the lead id column (with an optional prefix)
 * @param registeredAt    when the lead was created
 * @param registration    email, account_domain, account_name, channel, campaign
 * @param profileAt       when the profile was observed; the registration time when absent
 * @param profile         profile fields: job_title, seniority, department, company_size, industry,
 *                        annual_revenue_usd, country, technologies, intent_signals
 * @param engagements     engagement columns: counts or last-activity times
 * @param outcomes        outcome columns
 */
public record CsvMapping(String source, String timeFormat, ZoneId zone, Column id, Column registeredAt,
                         Map<String, Column> registration, Column profileAt, Map<String, Column> profile,
                         List<EngagementColumn> engagements, List<OutcomeColumn> outcomes) {

    static final Set<String> REGISTRATION_FIELDS = Set.of("email", "account_domain", "account_name", "channel",
                                                          "campaign");
    static final Set<String> PROFILE_FIELDS = Set.of("job_title", "seniority", "department", "company_size",
                                                     "industry", "annual_revenue_usd", "country", "technologies",
                                                     "intent_signals");

    /**
     * A column, with optional translation of its values.
     *
     * @param name     the header
     * @param prefix   put before the value (ids)
     * @param values   value translations (case-insensitive keys); values not listed pass through unchanged
     * @param fallback used when the cell is empty
     */
    public record Column(String name, String prefix, Map<String, String> values, String fallback) {

        String read(org.apache.commons.csv.CSVRecord row) {
            String raw = row.isMapped(name) ? row.get(name).trim() : "";
            if (raw.isEmpty()) {
                return fallback;
            }
            String translated = values.getOrDefault(raw.toLowerCase(Locale.ROOT), raw);
            return prefix + translated;
        }
    }

    /**
     * Engagements from one column: {@code count} columns hold how many engagements of {@code type} the lead had
     * (at most {@code maxCount} are recorded, all at {@code at}); {@code last_activity} columns hold the time of
     * one.
     */
    public record EngagementColumn(String kind, Column column, String type, Column at, Map<String, String> attributes,
                                   int maxCount) {
    }

    /**
     * An outcome from one column: its value, translated by {@code values} to SQL, OPPORTUNITY, WON, LOST or
     * DISQUALIFIED (rows with other values have none), happened at {@code at}.
     */
    public record OutcomeColumn(Column column, Column at) {
    }

    /** Reads a mapping file, listing every problem at once. */
    public static CsvMapping read(Path file) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": a mapping is a YAML object; see ops/examples/crm-mapping.yaml");
        }
        Problems problems = new Problems(file);
        problems.only(root, "", Set.of("source", "time_format", "timezone", "id", "registered_at", "registration",
                                       "profile_observed_at", "profile", "engagements", "outcomes"));
        String timeFormat = text(root, "time_format", "iso");
        if (!timeFormat.equals("iso")) {
            try {
                DateTimeFormatter.ofPattern(timeFormat);
            } catch (IllegalArgumentException e) {
                problems.add("time_format", "not a date-time pattern: " + e.getMessage());
            }
        }
        ZoneId zone = ZoneId.of("UTC");
        try {
            zone = ZoneId.of(text(root, "timezone", "UTC"));
        } catch (RuntimeException e) {
            problems.add("timezone", "not a time zone such as UTC or Europe/Berlin");
        }
        Column id = column(root.get("id"), "id", problems, true);
        Column registeredAt = column(root.get("registered_at"), "registered_at", problems, true);
        Map<String, Column> registration = fields(root.get("registration"), "registration", REGISTRATION_FIELDS,
                                                  problems);
        Column profileAt = column(root.get("profile_observed_at"), "profile_observed_at", problems, false);
        Map<String, Column> profile = fields(root.get("profile"), "profile", PROFILE_FIELDS, problems);
        List<EngagementColumn> engagements = new ArrayList<>();
        JsonNode engagementNodes = root.path("engagements");
        for (int i = 0; i < engagementNodes.size(); i++) {
            JsonNode node = engagementNodes.get(i);
            String path = "engagements[" + i + "]";
            problems.only(node, path, Set.of("count", "last_activity", "type", "at", "attributes", "max_count"));
            boolean count = node.has("count");
            if (count == node.has("last_activity")) {
                problems.add(path, "needs exactly one of count and last_activity");
                continue;
            }
            Column column = column(node.get(count ? "count" : "last_activity"), path, problems, true);
            if (!node.hasNonNull("type")) {
                problems.add(path + ".type", "is required (page_view, form_submitted, ...)");
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            node.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            engagements.add(new EngagementColumn(count ? "count" : "last_activity", column,
                                                 text(node, "type", ""),
                                                 column(node.get("at"), path + ".at", problems, false), attributes,
                                                 node.path("max_count").asInt(100)));
        }
        List<OutcomeColumn> outcomes = new ArrayList<>();
        JsonNode outcomeNodes = root.path("outcomes");
        for (int i = 0; i < outcomeNodes.size(); i++) {
            JsonNode node = outcomeNodes.get(i);
            String path = "outcomes[" + i + "]";
            problems.only(node, path, Set.of("column", "values", "at"));
            Column column = column(node, path, problems, true);
            if (column != null) {
                for (String outcome : column.values().values()) {
                    if (!Set.of("SQL", "OPPORTUNITY", "WON", "LOST", "DISQUALIFIED").contains(outcome)) {
                        problems.add(path + ".values", "'" + outcome
                                                       + "' is not SQL, OPPORTUNITY, WON, LOST or DISQUALIFIED");
                    }
                }
            }
            Column at = column(node.get("at"), path + ".at", problems, true);
            outcomes.add(new OutcomeColumn(column, at));
        }
        problems.throwIfAny();
        return new CsvMapping(text(root, "source", "csv"), timeFormat, zone, id, registeredAt, registration,
                             profileAt, profile, engagements, outcomes);
    }

    private static Map<String, Column> fields(JsonNode node, String path, Set<String> allowed, Problems problems) {
        Map<String, Column> columns = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return columns;
        }
        problems.only(node, path, allowed);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (allowed.contains(field.getKey())) {
                columns.put(field.getKey(), column(field.getValue(), path + "." + field.getKey(), problems, true));
            }
        }
        return columns;
    }

    /** A column given as its header, or as {column, prefix, values, default}. */
    private static Column column(JsonNode node, String path, Problems problems, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(path, "is required: a column name");
            }
            return null;
        }
        if (node.isTextual()) {
            return new Column(node.asText(), "", Map.of(), "");
        }
        if (!node.isObject() || !node.hasNonNull("column")) {
            problems.add(path, "must be a column name or {column: ..., values: {...}, prefix: ..., default: ...}");
            return null;
        }
        problems.only(node, path, Set.of("column", "prefix", "values", "default", "at"));
        Map<String, String> values = new LinkedHashMap<>();
        node.path("values").fields().forEachRemaining(e -> values.put(e.getKey().toLowerCase(Locale.ROOT),
                                                                      e.getValue().asText()));
        return new Column(node.get("column").asText(), text(node, "prefix", ""), values, text(node, "default", ""));
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }

    /** Every problem of a mapping file, reported together. */
    private static final class Problems {
        private final Path file;
        private final List<String> problems = new ArrayList<>();

        Problems(Path file) {
            this.file = file;
        }

        void add(String path, String reason) {
            problems.add(path + ": " + reason);
        }

        void only(JsonNode node, String path, Set<String> allowed) {
            node.fieldNames().forEachRemaining(name -> {
                if (!allowed.contains(name)) {
                    add(path.isEmpty() ? name : path + "." + name, "unknown key; expected one of "
                                                                   + new java.util.TreeSet<>(allowed));
                }
            });
        }

        void throwIfAny() throws IOException {
            if (!problems.isEmpty()) {
                throw new IOException(file + " has " + problems.size() + " problem(s):\n  "
                                      + String.join("\n  ", problems));
            }
        }
    }
}
