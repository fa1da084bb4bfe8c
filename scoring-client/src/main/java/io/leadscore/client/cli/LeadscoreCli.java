package io.leadscore.client.cli;

import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.leadscore.client.ChannelSecurity;
import io.leadscore.client.LeadscoreClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code leadscore}: the command line for Leadscore. */
// scope INHERIT: every subcommand, to any depth, gets --help and --version and the list of exit codes.
@Command(name = "leadscore", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, version = "leadscore 0.1.0",
        description = "Register leads, record engagements and read scores on a Leadscore server.",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILED_LINE, ExitCodes.USAGE_LINE,
                        ExitCodes.PARTLY_REJECTED_LINE},
        subcommands = {RegisterCommand.class, ProfileCommand.class, EngageCommand.class, ScoreCommand.class,
                       ImportJsonlCommand.class, LoadCommand.class, ExplainCommand.class,
                       ModelCommand.class, AdjustCommand.class, HandoffCommands.Accept.class,
                       HandoffCommands.Reject.class, HandoffCommands.Disqualify.class,
                       HandoffCommands.Opportunity.class, HandoffCommands.Won.class, HandoffCommands.Lost.class,
                       HandoffCommands.Reopen.class,
                       HandoffCommands.History.class, QueueCommand.class, WatchCommand.class,
                       AccountCommand.class, ImportCommand.class, BacktestCommand.class, FunnelCommand.class,
                       SpendCommand.class, TokenCommand.class, EraseCommand.class})
public final class LeadscoreCli {

    @Option(names = "--target", scope = ScopeType.INHERIT, defaultValue = "${env:LEADSCORE_TARGET:-localhost:9090}",
            description = "Server address host:port (env LEADSCORE_TARGET, default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts instead of tables.")
    boolean json;

    /** The deadline of a call when the command line names none. */
    static final Duration USUAL_DEADLINE = Duration.ofSeconds(10);

    // No default value here: commands whose call takes long have a longer one, which a --deadline given replaces.
    @Option(names = "--deadline", scope = ScopeType.INHERIT, converter = DurationConverter.class,
            description = {"Deadline per call, such as 500ms, 10s or 2m (default 10s; backtest, funnel, model publish "
                           + "and rollback: their --timeout; watch: none, it runs until stopped)."})
    Duration deadline;

    @Option(names = "--token", scope = ScopeType.INHERIT, defaultValue = "${env:LEADSCORE_TOKEN}",
            description = "Bearer token of this caller (env LEADSCORE_TOKEN; see `leadscore token new`).")
    String token;

    @Option(names = "--tls", scope = ScopeType.INHERIT,
            description = "Connect over TLS, trusting the system's CAs (implied by --tls-ca and --tls-cert).")
    boolean tls;

    @Option(names = "--tls-ca", scope = ScopeType.INHERIT, defaultValue = "${env:LEADSCORE_TLS_CA}",
            description = "PEM CA that signed the server's certificate (env LEADSCORE_TLS_CA).")
    Path tlsCa;

    @Option(names = "--tls-cert", scope = ScopeType.INHERIT, defaultValue = "${env:LEADSCORE_TLS_CERT}",
            description = "PEM client certificate, for servers that require mutual TLS (env LEADSCORE_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", scope = ScopeType.INHERIT, defaultValue = "${env:LEADSCORE_TLS_KEY}",
            description = "PEM private key (PKCS#8) of --tls-cert (env LEADSCORE_TLS_KEY).")
    Path tlsKey;

    private final ChannelOpener opener;

    public LeadscoreCli() {
        this(ChannelSecurity::open);
    }

    /** A command line whose channels {@code opener} opens (tests: in-process). */
    LeadscoreCli(ChannelOpener opener) {
        this.opener = opener;
    }

    /** How the command opens its channel from the connection options. */
    @FunctionalInterface
    interface ChannelOpener {
        ManagedChannel open(ChannelSecurity security, String target) throws IOException;
    }

    /** The command line of {@code cli}, with errors printed as one line. */
    static CommandLine commandLine(LeadscoreCli cli) {
        OneLineErrors errors = new OneLineErrors();
        return new CommandLine(cli).setParameterExceptionHandler(errors).setExecutionExceptionHandler(errors);
    }

    /** The --deadline given on the command line, if one was. */
    Optional<Duration> givenDeadline() {
        return Optional.ofNullable(deadline);
    }

    /**
     * The deadline of a call that takes long (a backtest, a publish): its command's own {@code --timeout} when given,
     * else a --deadline given, else {@code usual}, the command's long default.
     */
    Duration longCallDeadline(Duration timeout, Duration usual) {
        return timeout != null ? timeout : givenDeadline().orElse(usual);
    }

    /** Runs {@code action} with a client on a fresh channel and reports gRPC errors readably. */
    int run(CommandLine.Model.CommandSpec spec, ClientAction action) {
        return runForExitCode(spec, (client, out) -> {
            action.run(client, out);
            return ExitCodes.OK;
        });
    }

    /** Like {@link #run}, for a command whose result decides its exit code (see {@link ExitCodes}). */
    int runForExitCode(CommandLine.Model.CommandSpec spec, ExitCodeAction action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var unusable = TlsFiles.problem(tlsCa, tlsCert, tlsKey);
        if (unusable.isPresent()) {
            err.println("error: " + unusable.get());
            err.flush();
            return ExitCodes.USAGE;
        }
        ManagedChannel channel;
        try {
            channel = opener.open(new ChannelSecurity(tls, tlsCa, tlsCert, tlsKey, token), target);
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: cannot set up the connection: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        try {
            return action.run(LeadscoreClient.create(channel, givenDeadline().orElse(USUAL_DEADLINE)), out);
        } catch (StatusRuntimeException e) {
            err.println("error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            if (details != null) {
                details.getDetailsList().stream().filter(any -> any.is(BadRequest.class)).forEach(any -> {
                    try {
                        any.unpack(BadRequest.class).getFieldViolationsList().forEach(violation ->
                                err.println("  " + violation.getField() + ": " + violation.getDescription()));
                    } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                        // a detail we cannot read adds nothing to the message above
                    }
                });
            }
            err.flush();
            return ExitCodes.FAILED;
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            err.flush();
            return ExitCodes.USAGE;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A duration such as 500ms, 10s or 2m. */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // not a number before the unit: the same answer as no unit
        }
        throw new CommandLine.TypeConversionException("'" + text + "' is not a duration such as 500ms, 10s or 2m");
    }

    /**
     * Reads --deadline and --timeout as the command line is parsed, so a bad value is a usage error before anything
     * is sent; a deadline must leave the call some time.
     */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration duration = parseDuration(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 500ms, 10s "
                                                              + "or 2m: it must be more than zero");
            }
            return duration;
        }
    }

    @FunctionalInterface
    interface ClientAction {
        void run(LeadscoreClient client, PrintWriter out) throws IOException;
    }

    @FunctionalInterface
    interface ExitCodeAction {
        int run(LeadscoreClient client, PrintWriter out) throws IOException;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new LeadscoreCli()).execute(args));
    }
}
