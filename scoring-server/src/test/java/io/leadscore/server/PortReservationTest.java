package io.leadscore.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortReservationTest {

    @Test
    void aPortInUseIsRefusedBeforeStartUpNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> PortReservation.hold("127.0.0.1", taken.getLocalPort()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is in use");
        }
    }

    @Test
    void aHeldPortIsTakenByNoOneElseAndIsFreeOnceReleased() throws Exception {
        int port = FreePorts.outsideEphemeralRange();
        PortReservation reservation = PortReservation.hold("127.0.0.1", port, 0, -1);

        assertThatThrownBy(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close())
                .isInstanceOf(java.net.BindException.class);
        // a client meanwhile is refused at once, as by no server at all, rather than left waiting
        assertThatThrownBy(() -> new java.net.Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(java.net.ConnectException.class);

        reservation.close();
        try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(bound.getLocalPort()).isEqualTo(port);
        }
    }
}
