package io.leadscore.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the server's listening ports from the first moment of start-up until just before they are bound for real.
 * Opening the store takes seconds and binds ports of its own (the embedded MongoDB-wire server asks the system for
 * any free port); a configured port in the system's ephemeral range could be handed to it, and the gRPC server
 * then fails to bind, or worse, a client reaches the store where it expected gRPC. Holding the ports first also
 * refuses a port already in use before the store is touched.
 */
public final class PortReservation implements AutoCloseable {

    private final List<ServerSocket> held;

    private PortReservation(List<ServerSocket> held) {
        this.held = held;
    }

    /** Holds nothing: for transports without ports (in-process tests) and ports the system picks (0). */
    public static PortReservation none() {
        return new PortReservation(List.of());
    }

    /** Holds each of {@code ports} on {@code bindAddress}; 0 and negative ports (chosen later, or off) are skipped. */
    public static PortReservation hold(String bindAddress, int... ports) {
        List<ServerSocket> held = new ArrayList<>();
        for (int port : ports) {
            if (port <= 0) {
                continue;
            }
            try {
                ServerSocket socket = new ServerSocket();
                // The real server binds with SO_REUSEADDR too: releasing this one must not block that bind.
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(bindAddress, port));
                held.add(socket);
            } catch (IOException e) {
                new PortReservation(held).close();
                throw new IllegalArgumentException("port " + port + " on " + bindAddress + " is in use or not "
                                                   + "allowed (" + e.getMessage() + "); pick another one", e);
            }
        }
        return new PortReservation(held);
    }

    /** Releases the ports, just before the servers that use them bind. */
    @Override
    public void close() {
        for (ServerSocket socket : held) {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
