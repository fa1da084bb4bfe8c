package io.leadscore.bench.harness;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Leadscore server as its own OS process, as users run it: the benchmark sees its real start-up time,
 * heap and resident memory, and its load client does not share a JVM with it.
 */
public final class LeadscoreProcess implements AutoCloseable {

    private final Process process;
    private final ManagedChannel channel;
    private final Path log;
    private final Duration startUp;
    private final int port;

    private LeadscoreProcess(Process process, ManagedChannel channel, Path log, Duration startUp, int port) {
        this.port = port;
        this.process = process;
        this.channel = channel;
        this.log = log;
        this.startUp = startUp;
    }

    /** Starts the jar on {@code dataDir} and waits until health says SERVING (the projection has caught up). */
    public static LeadscoreProcess start(Path serverJar, Path dataDir, String heap, List<String> jvmOptions,
                                         Duration timeout, String... extraArgs) {
        int port = freePort();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-Xms" + heap,
                "-XX:+UseParallelGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", serverJar.toAbsolutePath().toString(),
                "--grpc-port", String.valueOf(port), "--metrics-port", "-1", "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        long started = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                    .maxInboundMessageSize(64 << 20).build();
            LeadscoreProcess server = new LeadscoreProcess(process, channel, log, null, port);
            server.awaitServing(timeout);
            return new LeadscoreProcess(process, channel, log, Duration.ofNanos(System.nanoTime() - started),
                                        port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + serverJar, e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitServing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                              .check(HealthCheckRequest.getDefaultInstance()).getStatus() == ServingStatus.SERVING) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet, or still catching up
            }
            sleep(50);
        }
        throw new IllegalStateException("the server was not SERVING within " + timeout + "; see " + log);
    }

    /** The server's gRPC port on loopback. */
    public int port() {
        return port;
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** From launching the JVM to health saying SERVING. */
    public Duration startUp() {
        return startUp;
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory of the server process, from {@code /proc}. */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS for process " + pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Heap in use right after a full collection, as {@code jcmd GC.heap_info} reports it (live data only). */
    public long liveHeapBytes() {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        // ParallelGC: "PSYoungGen total 123K, used 45K ..." and "ParOldGen total ..K, used ..K"
        long used = 0;
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K")
                                                                 .matcher(info);
        while (matcher.find()) {
            used += Long.parseLong(matcher.group(2)) * 1024;
        }
        if (used == 0) {
            throw new IllegalStateException("cannot read the heap from jcmd: " + info);
        }
        return used;
    }

    private String jcmd(String command) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                                              String.valueOf(pid()), command).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(60, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM and wait: the server drains and closes its store, so the data directory can be reopened. */
    @Override
    public void close() {
        channel.shutdownNow();
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
