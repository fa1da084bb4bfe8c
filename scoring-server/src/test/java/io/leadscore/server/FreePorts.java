package io.leadscore.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for servers started in another process. A port from {@code new ServerSocket(0)} is released before the
 * child binds it, and in that window any process's outgoing connection, or the child's own embedded store, may be
 * given the same port by the system; ports below the ephemeral range are never handed out that way.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port that is free now and that the system does not hand out to sockets asking for any port. */
    public static int outsideEphemeralRange() {
        int lowestEphemeral = lowestEphemeralPort();
        int low = Math.min(20_000, lowestEphemeral - 1_000);
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(low, lowestEphemeral);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another one
            }
        }
        throw new UncheckedIOException(new IOException("no free port between " + low + " and " + lowestEphemeral));
    }

    private static int lowestEphemeralPort() {
        try {
            // readString trusts the file size, which procfs reports wrongly: read it line by line.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int lowest = Integer.parseInt(range.split("\\s+")[0]);
            // A sandbox may show a range that cannot be right (such as "0 0"): fall back to Linux's default then.
            return lowest > 21_000 ? lowest : 32_768;
        } catch (IOException | RuntimeException notLinux) {
            return 32_768;
        }
    }
}
