package io.leadscore.server.common;

/**
 * A failure the caller should see, with its code, the offending request field (or empty) and a reason that is safe
 * to return: it never contains personal data or internals.
 */
public class LeadscoreException extends RuntimeException {

    private final ErrorCode code;
    private final String field;

    public LeadscoreException(ErrorCode code, String field, String reason) {
        super(reason, null, false, false);
        this.code = code;
        this.field = field;
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }

    /** The same failure naming {@code to} where it named {@code from}: a field nested in another request. */
    public LeadscoreException withField(String from, String to) {
        return field.equals(from) ? new LeadscoreException(code, to, reason()) : this;
    }
}
