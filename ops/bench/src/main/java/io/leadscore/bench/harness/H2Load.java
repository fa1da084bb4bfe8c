package io.leadscore.bench.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives a unary gRPC method with nghttp2's {@code h2load} (Debian package {@code nghttp2-client}): one prebuilt,
 * gRPC-framed request body POSTed over {@code connections} HTTP/2 connections with {@code streams} streams each. A
 * C load generator keeps up with servers the Java client of this harness cannot saturate on the same two cores.
 */
public final class H2Load {

    private static final Pattern RATE = Pattern.compile("finished in [0-9.]+s, ([0-9.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, \\d+ started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");
    private static final Pattern REQUEST_TIME = Pattern.compile(
            "time for request:\\s+([0-9.]+)(us|ms|s)\\s+([0-9.]+)(us|ms|s)\\s+([0-9.]+)(us|ms|s)");

    /** What h2load measured: requests per second, how many succeeded (HTTP 2xx) and failed, mean latency. */
    public record Result(double requestsPerSecond, long succeeded, long failed, double meanMillis) {
    }

    private H2Load() {
    }

    /** Whether {@code h2load} is on the PATH. */
    public static boolean available() {
        try {
            Process probe = new ProcessBuilder("h2load", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A gRPC message frame: no compression flag, the length, the message. */
    public static byte[] grpcFrame(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    /** POSTs {@code body} to {@code http://127.0.0.1:port/path} for {@code duration} after {@code warmUp}. */
    public static Result run(int port, String path, byte[] body, int connections, int streams, Duration warmUp,
                             Duration duration) throws IOException, InterruptedException {
        Path bodyFile = Files.createTempFile("h2load-body", ".bin");
        try {
            Files.write(bodyFile, body);
            List<String> command = List.of("h2load", "-c", String.valueOf(connections), "-m",
                                           String.valueOf(streams), "-t", "1",
                                           "--warm-up-time=" + warmUp.toSeconds() + "s",
                                           "-D", duration.toSeconds() + "s", "-d", bodyFile.toString(),
                                           "-H", "content-type: application/grpc", "-H", "te: trailers",
                                           "http://127.0.0.1:" + port + path);
            Process h2load = new ProcessBuilder(command).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            h2load.getInputStream().transferTo(out);
            if (!h2load.waitFor(warmUp.plus(duration).plusMinutes(1).toSeconds(), TimeUnit.SECONDS)) {
                h2load.destroyForcibly();
                throw new IllegalStateException("h2load did not finish");
            }
            String report = out.toString();
            Matcher rate = RATE.matcher(report);
            Matcher requests = REQUESTS.matcher(report);
            Matcher time = REQUEST_TIME.matcher(report);
            if (!rate.find() || !requests.find()) {
                throw new IllegalStateException("h2load said: " + report);
            }
            double mean = time.find() ? millis(time.group(5), time.group(6)) : Double.NaN;
            return new Result(Double.parseDouble(rate.group(1)), Long.parseLong(requests.group(3)),
                              Long.parseLong(requests.group(4)) + Long.parseLong(requests.group(5)), mean);
        } catch (IOException e) {
            throw new UncheckedIOException("h2load could not run (apt-get install nghttp2-client)", e);
        } finally {
            Files.deleteIfExists(bodyFile);
        }
    }

    private static double millis(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number / 1000;
            case "s" -> number * 1000;
            default -> number;
        };
    }
}
