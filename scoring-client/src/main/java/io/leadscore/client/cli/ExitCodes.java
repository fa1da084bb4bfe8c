package io.leadscore.client.cli;

/** The exit codes of {@code leadscore}: the same meaning for every command, listed in every command's help. */
final class ExitCodes {

    static final int OK = 0;
    /** The server refused or failed a call, or the command failed unexpectedly. */
    static final int FAILED = 1;
    /** Bad options or arguments, or an input or TLS file that cannot be used; nothing was sent. */
    static final int USAGE = 2;
    /**
     * The command ran to its end, but part of its input was refused: import rows or lines, unknown lead ids, a model
     * that does not validate.
     */
    static final int PARTLY_REJECTED = 3;

    static final String HEADING = "%nExit codes:%n";
    static final String OK_LINE = "0:done";
    static final String FAILED_LINE = "1:the server refused or failed a call (the error line says which), or the "
                                      + "command failed";
    static final String USAGE_LINE = "2:bad options or arguments, or an input or TLS file that cannot be used";
    static final String PARTLY_REJECTED_LINE = "3:done, but part of the input was refused (listed in the output): "
                                               + "rejected import rows or lines, unknown lead ids, an invalid model";

    private ExitCodes() {
    }
}
