package io.leadscore.client.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * Errors as one line on stderr, never a stack trace or a page of usage: a bad argument names the option and what is
 * valid and points to {@code --help}; a failure the command did not expect says what failed.
 */
final class OneLineErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String suggestion = "";
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            suggestion = " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
        }
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage() + suggestion + "; see '" + command.getCommandSpec().qualifiedName()
                    + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println("error: " + describe(e));
        err.flush();
        return ExitCodes.FAILED;
    }

    /** The exception and its causes on one line, each by its message, or its type when it has none. */
    static String describe(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable cause = e; cause != null && line.length() < 500; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage().lines().findFirst().orElse("").strip();
            if (line.indexOf(message) < 0) {
                line.append(line.length() == 0 ? "" : ": ").append(message);
            }
        }
        return line.toString();
    }
}
