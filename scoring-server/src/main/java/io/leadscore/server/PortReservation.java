package io.leadscore.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds the server's listening ports from the first moment of start-up until just before each is bound for real.
 * Opening the store takes seconds and binds ports of its own (the embedded MongoDB-wire server asks the system for
 * any free port); a configured port in the system's ephemeral range could be handed to it, and the gRPC server
 * then fails to bind, or worse, a client reaches the store where it expected gRPC. Holding the ports first also
 * refuses a port already in use before the store is touched.
 *
 * <p>A port is held by a socket bound to it that does not listen: a client connecting meanwhile is refused at once
 * (and retries), as it would be with no server at all, instead of waiting on a connection nobody answers.
 */
public final class PortReservation implements AutoCloseable {

    private final Map<Integer, Socket> held;

    private PortReservation(Map<Integer, Socket> held) {
        this.held = held;
    }

    /** Holds nothing: for transports without ports (in-process tests) and ports the system picks (0). */
    public static PortReservation none() {
        return new PortReservation(new LinkedHashMap<>());
    }

    /** Holds each of {@code ports} on {@code bindAddress}; 0 and negative ports (chosen later, or off) are skipped. */
    public static PortReservation hold(String bindAddress, int... ports) {
        PortReservation reservation = none();
        for (int port : ports) {
            if (port <= 0) {
                continue;
            }
            try {
                Socket socket = new Socket();
                // Without SO_REUSEADDR no other socket may bind the port meanwhile, not even one asking for any
                // port; a socket that never connected leaves nothing behind when closed, so the real bind succeeds.
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(bindAddress, port));
                reservation.held.put(port, socket);
            } catch (IOException e) {
                reservation.close();
                throw new IllegalArgumentException("port " + port + " on " + bindAddress + " is in use or not "
                                                   + "allowed (" + e.getMessage() + "); pick another one", e);
            }
        }
        return reservation;
    }

    /** Releases {@code port}, just before the server that uses it binds it. */
    public void release(int port) {
        Socket socket = held.remove(port);
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Releases every port still held. */
    @Override
    public void close() {
        for (Integer port : Map.copyOf(held).keySet()) {
            release(port);
        }
    }
}
