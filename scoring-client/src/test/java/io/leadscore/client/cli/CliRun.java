package io.leadscore.client.cli;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Runs the {@code leadscore} command line as a user would, with its output captured, against a real gRPC server
 * on the in-process transport that serves the given services (hand-written test services, no stub mocks).
 */
final class CliRun implements AutoCloseable {

    private static final String SERVER = "leadscore-cli-test";

    private final Server server;

    /** What one command printed and its exit code. */
    record Result(int exit, String out, String err) {
    }

    CliRun(BindableService... services) {
        InProcessServerBuilder builder = InProcessServerBuilder.forName(SERVER).directExecutor();
        for (BindableService service : services) {
            builder.addService(service);
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run(String... args) {
        LeadscoreCli cli = new LeadscoreCli((security, target) -> InProcessChannelBuilder.forName(SERVER)
                                                                                         .directExecutor().build());
        return execute(cli, args);
    }

    /** Runs a command that must fail before it connects anywhere: no server. */
    static Result offline(String... args) {
        return execute(new LeadscoreCli((security, target) -> {
            throw new AssertionError("the command connected: " + security);
        }), args);
    }

    private static Result execute(LeadscoreCli cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LeadscoreCli.commandLine(cli).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                               .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
