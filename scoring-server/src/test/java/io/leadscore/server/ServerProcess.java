package io.leadscore.server;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged server jar run as a separate OS process, so a test can kill it with SIGKILL. */
final class ServerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "scoring-server.jar");

    private final Process process;
    private final int port;
    private final ManagedChannel channel;

    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    static ServerProcess start(Path dataDir, Path log, String... extraArgs) {
        int port = FreePorts.outsideEphemeralRange();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", JAR.toAbsolutePath().toString(),
                "--grpc-port", String.valueOf(port), "--metrics-port", "-1", "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                                                         .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                                                         .start();
            ServerProcess server = new ServerProcess(process, port, log);
            server.awaitServing(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** Waits until gRPC health says SERVING, which the server only says once its projection has caught up. */
    void awaitServing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; log:\n" + logTail());
            }
            try {
                HealthCheckResponse.ServingStatus status = HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(1, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
                if (status == HealthCheckResponse.ServingStatus.SERVING) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IllegalStateException("server not SERVING within " + timeout + "; its log ends with:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    ManagedChannel channel() {
        return channel;
    }

    int port() {
        return port;
    }

    /** SIGTERM, then waits up to {@code timeout} for the process to exit; answers its exit code, or -1. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.shutdownNow();
        return exited ? process.exitValue() : -1;
    }

    String log() throws IOException {
        return java.nio.file.Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        // The process dies first, so calls in flight see the connection break rather than a local cancel.
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        channel.shutdownNow();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
