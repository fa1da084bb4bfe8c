package io.leadscore.server.grpc;

import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.ScoreServiceGrpc;

import java.util.List;

/** What gRPC health says for the server and each of its services: all the same, NOT_SERVING until told. */
public final class ServingHealth {

    private static final List<String> SERVICES = List.of(
            "", LeadServiceGrpc.SERVICE_NAME, ScoreServiceGrpc.SERVICE_NAME, ModelServiceGrpc.SERVICE_NAME,
            BacktestServiceGrpc.SERVICE_NAME, AnalyticsServiceGrpc.SERVICE_NAME);

    private final HealthStatusManager health = new HealthStatusManager();
    private volatile boolean serving;

    public ServingHealth() {
        serving(false);
    }

    public void serving(boolean serving) {
        this.serving = serving;
        ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        SERVICES.forEach(service -> health.setStatus(service, status));
    }

    /** Whether health says SERVING now. */
    public boolean isServing() {
        return serving;
    }

    /** NOT_SERVING for good: the server is stopping. */
    public void stopping() {
        serving = false;
        health.enterTerminalState();
    }

    BindableService service() {
        return health.getHealthService();
    }
}
