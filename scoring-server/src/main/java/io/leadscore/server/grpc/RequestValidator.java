package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.scoring.EngagementTypes;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.replay.ReplayWindow;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.Profile;
import io.leadscore.v1.Seniority;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of fields that several requests share (ids, times, windows, stages, profiles, engagements, countries,
 * currencies): the vocabulary each service's {@code *Requests} class validates its requests in. Every violation
 * names the field (in proto path form, such as {@code engagement.occurred_at}) and says why, so callers can fix
 * their payload without reading our code.
 */
public final class RequestValidator {

    /** Ids are printable and short: they end up in document keys and log lines. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,128}");
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** Nothing a tracking system sends predates the web; older times are unit mistakes (seconds vs millis). */
    /** The earliest time the service accepts: nothing in lead scoring happened before. */
    static final Instant EARLIEST = Instant.parse("1995-01-01T00:00:00Z");
    /** 9999-12-31T23:59:59Z, the last second a {@code google.protobuf.Timestamp} may hold. */
    private static final long MAX_TIMESTAMP_SECONDS = 253_402_300_799L;
    static final int MAX_ATTRIBUTES = 32;
    private static final int MAX_ATTRIBUTE_KEY = 64;
    private static final int MAX_ATTRIBUTE_VALUE = 512;
    private static final int MAX_LIST = 50;
    private static final Duration MAX_HORIZON = Duration.ofDays(3650);
    private static final Set<String> INTENT_SIGNALS =
            Set.of("funding", "hiring", "tech_stack_change", "expansion", "leadership_change");

    private final Clock clock;

    public RequestValidator(Clock clock) {
        this.clock = clock;
    }

    public void validateLeadId(String leadId, String field) {
        if (leadId.isEmpty()) {
            throw invalid(field, "is required");
        }
        validateId(leadId, field);
    }

    /** An id of the printable form; an empty one gets the same answer as a malformed one. */
    static void validateId(String id, String field) {
        if (!ID.matcher(id).matches()) {
            throw invalid(field, "must be 1-128 characters of letters, digits, '.', '_', ':', '@', '/' or '-'");
        }
    }

    public void validate(Profile profile, String field) {
        maxLength(profile.getJobTitle(), 256, field + ".job_title");
        if (profile.getSeniority() == Seniority.UNRECOGNIZED) {
            throw invalid(field + ".seniority", "is not a known seniority");
        }
        maxLength(profile.getDepartment(), 64, field + ".department");
        if (profile.getCompanySize() < 0) {
            throw invalid(field + ".company_size", "must not be negative");
        }
        maxLength(profile.getIndustry(), 64, field + ".industry");
        if (profile.getAnnualRevenueUsd() < 0) {
            throw invalid(field + ".annual_revenue_usd", "must not be negative");
        }
        if (!profile.getCountry().isEmpty()) {
            validateCountry(profile.getCountry(), field + ".country");
        }
        validateList(profile.getTechnologiesList(), field + ".technologies");
        validateList(profile.getIntentSignalsList(), field + ".intent_signals");
        for (String signal : profile.getIntentSignalsList()) {
            if (!INTENT_SIGNALS.contains(signal)) {
                throw invalid(field + ".intent_signals", "'" + abbreviate(signal) + "' is not one of " + INTENT_SIGNALS);
            }
        }
    }

    public void validateTime(Timestamp timestamp, String field) {
        if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw invalid(field, "has nanos outside 0..999999999");
        }
        if (timestamp.getSeconds() < EARLIEST.getEpochSecond()) {
            throw invalid(field, "is before 1995-01-01; is it in seconds instead of a Timestamp?");
        }
        if (timestamp.getSeconds() > MAX_TIMESTAMP_SECONDS) {
            throw invalid(field, "is after 9999-12-31, outside what a Timestamp may hold");
        }
        Instant time = Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
        if (time.isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
            throw invalid(field, "is more than 5 minutes in the future");
        }
        if (time.isBefore(EARLIEST)) {
            throw invalid(field, "is before 1995-01-01; is it in seconds instead of a Timestamp?");
        }
    }

    public void validate(Engagement engagement, String field) {
        String eventId = engagement.getEventId();
        if (eventId.isEmpty()) {
            throw invalid(field + ".event_id", "is required");
        }
        validateId(eventId, field + ".event_id");
        validateLeadId(engagement.getLeadId(), field + ".lead_id");
        if (engagement.getType().isEmpty()) {
            throw invalid(field + ".type", "is required");
        }
        if (!EngagementTypes.KNOWN.contains(engagement.getType())) {
            throw invalid(field + ".type", "'" + abbreviate(engagement.getType()) + "' is not a known engagement type");
        }
        if (!engagement.hasOccurredAt()) {
            throw invalid(field + ".occurred_at", "is required");
        }
        validateTime(engagement.getOccurredAt(), field + ".occurred_at");
        maxLength(engagement.getSessionId(), 128, field + ".session_id");
        maxLength(engagement.getChannel(), 64, field + ".channel");
        Map<String, String> attributes = engagement.getAttributesMap();
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw invalid(field + ".attributes", "has " + attributes.size() + " entries; at most " + MAX_ATTRIBUTES);
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String key = attribute.getKey();
            if (key.isEmpty() || key.length() > MAX_ATTRIBUTE_KEY) {
                throw invalid(field + ".attributes", "keys must be 1-" + MAX_ATTRIBUTE_KEY + " characters");
            }
            // Keys become keys of stored documents, where '$' and '.' are operators and paths.
            if (key.startsWith("$") || key.indexOf('.') >= 0 || key.chars().anyMatch(Character::isISOControl)) {
                throw invalid(field + ".attributes", "keys must not start with '$' or contain '.' or control "
                                                     + "characters such as NUL");
            }
            if (attribute.getValue().length() > MAX_ATTRIBUTE_VALUE) {
                throw invalid(field + ".attributes[" + abbreviate(key) + "]",
                              "is longer than " + MAX_ATTRIBUTE_VALUE + " characters");
            }
            if (readsAsNonFiniteNumber(attribute.getValue())) {
                throw invalid(field + ".attributes[" + abbreviate(key) + "]",
                              "is not a finite number: NaN, Infinity and numbers beyond 1.7e308 count as nothing");
            }
        }
    }

    /** A country as an ISO 3166-1 alpha-2 code, upper case; the message names the code a caller probably meant. */
    public static void validateCountry(String country, String field) {
        if (IsoCodes.COUNTRIES.contains(country)) {
            return;
        }
        String upper = country.toUpperCase(java.util.Locale.ROOT);
        if (IsoCodes.COUNTRIES.contains(upper)) {
            throw invalid(field, "must be upper case: " + upper);
        }
        String alpha2 = IsoCodes.ALPHA3_TO_ALPHA2.get(upper);
        if (alpha2 != null) {
            throw invalid(field, "'" + upper + "' is an ISO 3166-1 alpha-3 code; use the alpha-2 code " + alpha2);
        }
        throw invalid(field, "'" + abbreviate(country) + "' is not an ISO 3166-1 alpha-2 country code such as DE");
    }

    /** A currency as an ISO 4217 code, upper case. */
    public static void validateCurrency(String currency, String field) {
        if (IsoCodes.CURRENCIES.contains(currency)) {
            return;
        }
        String upper = currency.toUpperCase(java.util.Locale.ROOT);
        if (IsoCodes.CURRENCIES.contains(upper)) {
            throw invalid(field, "must be upper case: " + upper);
        }
        throw invalid(field, "'" + abbreviate(currency) + "' is not an ISO 4217 currency code such as EUR");
    }

    /** A backtest's score horizon: a valid duration from zero up to ten years. */
    public static java.time.Duration validateHorizon(com.google.protobuf.Duration horizon, String field) {
        long seconds = horizon.getSeconds();
        int nanos = horizon.getNanos();
        boolean signsDiffer = (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0);
        if (nanos < -999_999_999 || nanos > 999_999_999 || signsDiffer) {
            throw invalid(field, "is not a valid Duration: nanos must be within +-999999999 with the sign of seconds");
        }
        if (seconds < 0 || nanos < 0) {
            throw invalid(field, "must not be negative");
        }
        if (seconds > MAX_HORIZON.getSeconds()) {
            throw invalid(field, "must be at most " + MAX_HORIZON.toDays() + " days");
        }
        return java.time.Duration.ofSeconds(seconds, nanos);
    }

    /**
     * Any time a {@code google.protobuf.Timestamp} may hold (years 1 to 9999, nanos 0 to 999,999,999), as the
     * instant it names: for times a caller asks about, where {@link #validateTime} is for times of facts.
     */
    static Instant validateTimestamp(Timestamp timestamp, String field) {
        if (timestamp.getSeconds() < -62_135_596_800L || timestamp.getSeconds() > MAX_TIMESTAMP_SECONDS
            || timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw invalid(field, "is not a valid Timestamp (years 1-9999, nanos 0-999999999)");
        }
        return ProtoTime.toInstant(timestamp);
    }

    /**
     * The window of a history request: {@code from} (unset: the earliest time the service accepts) up to
     * {@code to} (unset: now), refused when it does not end after it starts.
     */
    static ReplayWindow validateWindow(Timestamp from, Timestamp to, Instant now) {
        Instant start = from == null ? EARLIEST : validateTimestamp(from, "from");
        Instant end = to == null ? now : validateTimestamp(to, "to");
        if (!start.isBefore(end)) {
            throw invalid("to", "must be after from");
        }
        return new ReplayWindow(start, end);
    }

    /** The stages a filter names; unset or unknown stages are a caller error on {@code field}. */
    static Set<LeadStage> validateStages(List<io.leadscore.v1.LeadStage> stages, String field) {
        Set<LeadStage> result = EnumSet.noneOf(LeadStage.class);
        for (io.leadscore.v1.LeadStage stage : stages) {
            if (stage == io.leadscore.v1.LeadStage.LEAD_STAGE_UNSPECIFIED
                || stage == io.leadscore.v1.LeadStage.UNRECOGNIZED) {
                throw invalid(field, "must name known stages");
            }
            result.add(LeadMessages.toStage(stage));
        }
        return result;
    }

    /** Whether {@code value} is what Java reads as a number, and that number is NaN or infinite. */
    private static boolean readsAsNonFiniteNumber(String value) {
        try {
            return !Double.isFinite(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void validateList(List<String> values, String field) {
        if (values.size() > MAX_LIST) {
            throw invalid(field, "has " + values.size() + " entries; at most " + MAX_LIST);
        }
        for (String value : values) {
            if (value.isEmpty() || value.length() > 64) {
                throw invalid(field, "entries must be 1-64 characters");
            }
        }
    }

    static void maxLength(String value, int max, String field) {
        if (value.length() > max) {
            throw invalid(field, "is longer than " + max + " characters");
        }
    }

    /** Echoes at most 40 characters of caller input, so errors stay small. */
    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /**
     * Runs a check of a message nested in a request under {@code prefix}, so a refusal names the field where the
     * caller put it ({@code outcomes[2].occurred_at}).
     */
    static void within(String prefix, Runnable check) {
        try {
            check.run();
        } catch (LeadscoreException e) {
            if (e.code() != ErrorCode.INVALID_ARGUMENT) {
                throw e;
            }
            throw invalid(e.field().isEmpty() ? prefix : prefix + "." + e.field(), e.reason());
        }
    }

    static LeadscoreException invalid(String field, String reason) {
        return new LeadscoreException(ErrorCode.INVALID_ARGUMENT, field, reason);
    }
}
