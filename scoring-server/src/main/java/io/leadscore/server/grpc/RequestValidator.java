package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.scoring.EngagementTypes;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustedPart;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.Seniority;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks requests before anything is stored. Every violation names the field (in proto path form, such as
 * {@code engagement.occurred_at}) and says why, so callers can fix their payload without reading our code.
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
        if (!ID.matcher(leadId).matches()) {
            throw invalid(field, "must be 1-128 characters of letters, digits, '.', '_', ':', '@', '/' or '-'");
        }
    }

    public void validate(RegisterLeadRequest request) {
        validateLeadId(request.getLeadId(), "lead_id");
        String email = request.getEmail();
        if (!email.isEmpty() && (email.length() > 254 || email.indexOf('@') <= 0 || email.endsWith("@"))) {
            throw invalid("email", "must be an e-mail address of at most 254 characters");
        }
        // CR and LF would let an address inject headers wherever it is written into a mail or a CSV.
        if (email.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw invalid("email", "must not contain spaces or control characters such as CR, LF or NUL");
        }
        maxLength(request.getName(), 256, "name");
        maxLength(request.getAccountDomain(), 253, "account_domain");
        maxLength(request.getAccountName(), 256, "account_name");
        maxLength(request.getChannel(), 64, "channel");
        maxLength(request.getCampaign(), 128, "campaign");
        if (request.hasRegisteredAt()) {
            validateTime(request.getRegisteredAt(), "registered_at");
        }
    }

    public void validate(AdjustScoreRequest request) {
        validateLeadId(request.getLeadId(), "lead_id");
        if (!ID.matcher(request.getAdjustmentId()).matches()) {
            throw invalid("adjustment_id", "must be 1-128 characters of letters, digits, '.', '_', ':', '@', '/' or '-'");
        }
        double points = request.getPoints();
        if (!Double.isFinite(points) || points == 0 || Math.abs(points) > 1000) {
            throw invalid("points", "must be a non-zero number between -1000 and 1000");
        }
        if (request.getPart() == AdjustedPart.UNRECOGNIZED) {
            throw invalid("part", "is not a known part");
        }
        if (request.getActor().isBlank() || request.getActor().length() > 128) {
            throw invalid("actor", "must be 1-128 characters");
        }
        if (request.getReason().isBlank() || request.getReason().length() > 1024) {
            throw invalid("reason", "must be 1-1024 characters");
        }
        if (request.hasEffectiveAt()) {
            validateTime(request.getEffectiveAt(), "effective_at");
        }
        if (request.hasExpiresAt() && (request.getExpiresAt().getNanos() < 0
                                       || request.getExpiresAt().getNanos() > 999_999_999)) {
            throw invalid("expires_at", "has nanos outside 0..999999999");
        }
    }

    /** The common parts of a sales transition. */
    public void validateTransition(String actor, String reasonCode, String reason, long amount, String currency) {
        if (actor.isBlank() || actor.length() > 128) {
            throw invalid("actor", "must be 1-128 characters");
        }
        if (!reasonCode.matches("[a-z0-9_]{0,64}")) {
            throw invalid("reason_code", "must be at most 64 characters of a-z, 0-9 and '_'");
        }
        maxLength(reason, 1024, "reason");
        if (amount < 0) {
            throw invalid("amount", "must not be negative");
        }
        if (amount > 0 && currency.isEmpty()) {
            throw invalid("currency", "must be an ISO 4217 code such as EUR when an amount is given");
        }
        if (!currency.isEmpty()) {
            validateCurrency(currency, "currency");
        }
    }

    /** An outcome from another system: a known outcome, its time, an amount with its currency, the source. */
    public void validate(io.leadscore.v1.ImportOutcomeRequest request) {
        validateLeadId(request.getLeadId(), "lead_id");
        if (request.getOutcome() == io.leadscore.v1.Outcome.OUTCOME_UNSPECIFIED
            || request.getOutcome() == io.leadscore.v1.Outcome.UNRECOGNIZED) {
            throw invalid("outcome", "is required: one of SQL, OPPORTUNITY, WON, LOST, DISQUALIFIED");
        }
        if (!request.hasOccurredAt()) {
            throw invalid("occurred_at", "is required: history keeps its own times");
        }
        validateTime(request.getOccurredAt(), "occurred_at");
        if (!request.getSource().matches("[a-z0-9_.-]{1,64}")) {
            throw invalid("source", "must be 1-64 characters of a-z, 0-9, '_', '.' and '-'");
        }
        validateTransition("import", "", "", request.getAmount(), request.getCurrency());
    }

    public void validate(io.leadscore.v1.EraseLeadRequest request) {
        validateLeadId(request.getLeadId(), "lead_id");
        if (request.getActor().isBlank() || request.getActor().length() > 128) {
            throw invalid("actor", "must be 1-128 characters: who asked for the erasure");
        }
    }

    /** BANT on acceptance: all four are required, each at most 256 characters. */
    public void validateBant(io.leadscore.v1.Bant bant) {
        if (bant == null) {
            throw invalid("bant", "is required to accept a lead");
        }
        String[][] parts = {{"budget", bant.getBudget()}, {"authority", bant.getAuthority()},
                            {"need", bant.getNeed()}, {"timeline", bant.getTimeline()}};
        for (String[] part : parts) {
            if (part[1].isBlank() || part[1].length() > 256) {
                throw invalid("bant." + part[0], "must be 1-256 characters");
            }
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
        if (!ID.matcher(eventId).matches()) {
            throw invalid(field + ".event_id",
                          "must be 1-128 characters of letters, digits, '.', '_', ':', '@', '/' or '-'");
        }
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

    private static void maxLength(String value, int max, String field) {
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
