package io.leadscore.server.grpc.security;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.leadscore.client.BearerToken;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.LeadscoreServer;
import io.leadscore.server.RawBytes;
import io.leadscore.server.ServerConfig;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.ScoreServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every RPC of every {@code leadscore.v1} service, called without credentials, with a bad token, with each wrong
 * role and with the right one, on the real server with a callers file. Refused calls must not reach the store.
 */
class AccessControlEndToEndTest {

    private static final List<ServiceDescriptor> SERVICES = List.of(
            LeadServiceGrpc.getServiceDescriptor(), ScoreServiceGrpc.getServiceDescriptor(),
            ModelServiceGrpc.getServiceDescriptor(), BacktestServiceGrpc.getServiceDescriptor(),
            AnalyticsServiceGrpc.getServiceDescriptor());

    /**
     * The roles as the issue defines them, written out here rather than read from {@link RpcRoles}, so that a change
     * to the table in the server fails this test: reader (scores, explanations, queues, watch, reports), ingest
     * (registration, profiles, engagements), sales (handoff, outcomes, adjustments), admin (models, backtests, spend, erasure).
     */
    private static final Map<String, Role> EXPECTED = Map.ofEntries(
            Map.entry("LeadService/RegisterLead", Role.INGEST), Map.entry("LeadService/UpdateProfile", Role.INGEST),
            Map.entry("LeadService/RecordEngagement", Role.INGEST),
            Map.entry("LeadService/StreamEngagements", Role.INGEST),
            Map.entry("LeadService/AdjustScore", Role.SALES), Map.entry("LeadService/AcceptLead", Role.SALES),
            Map.entry("LeadService/RejectLead", Role.SALES), Map.entry("LeadService/DisqualifyLead", Role.SALES),
            Map.entry("LeadService/RecordOpportunity", Role.SALES), Map.entry("LeadService/CloseWon", Role.SALES),
            Map.entry("LeadService/CloseLost", Role.SALES), Map.entry("LeadService/ReopenLead", Role.SALES),
            Map.entry("LeadService/ImportOutcome", Role.SALES), Map.entry("LeadService/EraseLead", Role.ADMIN),
            Map.entry("LeadService/ImportLead", Role.ADMIN),
            Map.entry("ScoreService/GetScore", Role.READER), Map.entry("ScoreService/BatchGetScores", Role.READER),
            Map.entry("ScoreService/GetScoreAt", Role.READER), Map.entry("ScoreService/ExplainScore", Role.READER),
            Map.entry("ScoreService/GetStageHistory", Role.READER), Map.entry("ScoreService/ListLeads", Role.READER),
            Map.entry("ScoreService/WatchLeads", Role.READER), Map.entry("ScoreService/GetAccountScore", Role.READER),
            Map.entry("AnalyticsService/GetFunnelReport", Role.READER),
            Map.entry("AnalyticsService/RecordSpend", Role.ADMIN),
            Map.entry("ModelService/ValidateModel", Role.ADMIN), Map.entry("ModelService/CreateModel", Role.ADMIN),
            Map.entry("ModelService/GetModel", Role.ADMIN), Map.entry("ModelService/ListModels", Role.ADMIN),
            Map.entry("ModelService/PublishModel", Role.ADMIN), Map.entry("ModelService/RollbackModel", Role.ADMIN),
            Map.entry("BacktestService/RunBacktest", Role.ADMIN));

    @RegisterExtension
    static final LeadscoreExtension LEADSCORE = LeadscoreExtension.withSystemClock()
                                                                  .withCallersFile(aCallerPerRole());

    /** One caller per role, named after it, with a token of its own. */
    private static String aCallerPerRole() {
        StringBuilder callers = new StringBuilder("callers:\n");
        for (Role role : Role.values()) {
            callers.append("  - name: ").append(role.label()).append("-caller\n")
                   .append("    roles: [").append(role.label()).append("]\n")
                   .append("    token_sha256: ").append(CallerRegistry.sha256Hex(secretOf(role))).append('\n');
        }
        return callers.toString();
    }

    private static String secretOf(Role role) {
        return "token-of-the-" + role.label() + "-caller";
    }

    private static BearerToken tokenOf(Role role) {
        return new BearerToken(secretOf(role));
    }

    @Test
    void everyRpcNeedsCredentialsAndItsRole() {
        List<MethodDescriptor<?, ?>> methods = SERVICES.stream()
                .flatMap(service -> service.getMethods().stream()).toList();
        assertThat(methods).hasSize(EXPECTED.size());
        long headBefore = LEADSCORE.server().internals().engine().headPosition();
        List<String> checked = new ArrayList<>();
        for (MethodDescriptor<?, ?> method : methods) {
            String name = method.getFullMethodName();
            assertThat(RpcRoles.requiredRole(name)).as("role of %s", name)
                                                   .contains(EXPECTED.get(name.substring("leadscore.v1.".length())));
            Role required = RpcRoles.requiredRole(name).orElseThrow();

            assertThat(call(method, null).getCode()).as("%s without credentials", name)
                                                     .isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(call(method, new BearerToken("not-a-known-token")).getCode()).as("%s with a bad token", name)
                                                                                  .isEqualTo(Status.Code.UNAUTHENTICATED);
            for (Role other : Role.values()) {
                if (other != required) {
                    Status refused = call(method, tokenOf(other));
                    assertThat(refused.getCode()).as("%s as %s", name, other).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(refused.getDescription()).contains(required.label());
                }
            }
            checked.add(name);
        }
        assertThat(LEADSCORE.server().internals().engine().headPosition()).as("refused calls stored nothing").isEqualTo(headBefore);
        for (MethodDescriptor<?, ?> method : methods) {
            Status allowed = call(method, tokenOf(RpcRoles.requiredRole(method.getFullMethodName()).orElseThrow()));
            assertThat(allowed.getCode()).as("%s with its role", method.getFullMethodName())
                                         .isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
        }
        assertThat(checked).hasSize(methods.size());
    }

    @Test
    void everyStoredEventNamesTheCallerThatCausedIt() {
        io.leadscore.v1.LeadServiceGrpc.LeadServiceBlockingStub asIngest = LEADSCORE.leads()
                .withCallCredentials(tokenOf(Role.INGEST));
        asIngest.registerLead(io.leadscore.v1.RegisterLeadRequest.newBuilder().setLeadId("audited").build());
        LEADSCORE.leads().withCallCredentials(tokenOf(Role.SALES))
                .adjustScore(io.leadscore.v1.AdjustScoreRequest.newBuilder().setLeadId("audited")
                                     .setAdjustmentId("a-1").setPoints(5).setActor("someone else")
                                     .setPart(io.leadscore.v1.AdjustedPart.ADJUSTED_PART_FIT).setReason("audit")
                                     .build());
        List<Object> callers = new ArrayList<>();
        LEADSCORE.server().internals().engine().readEvents("audited").asStream()
                          .forEach(event -> callers.add(event.getMetaData().get(CallerOnCommands.CALLER)));
        assertThat(callers).containsExactly("ingest-caller", "sales-caller");
    }

    @Test
    void onlyBearerTokensAreAccepted() {
        MethodDescriptor<?, ?> getScore = ScoreServiceGrpc.getGetScoreMethod();
        Metadata basic = new Metadata();
        basic.put(AccessControl.AUTHORIZATION, "Basic cmVhZGVyOnNlY3JldA==");
        Status status = call(getScore, null, basic);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("Bearer");
    }

    @Test
    void healthIsOpenAndReflectionNeedsACaller() {
        assertThat(HealthGrpc.newBlockingStub(LEADSCORE.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                             .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isNotNull();
        assertThat(call(ServerReflectionGrpc.getServerReflectionInfoMethod(), null).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(call(ServerReflectionGrpc.getServerReflectionInfoMethod(), tokenOf(Role.INGEST)).getCode())
                .isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
    }

    @Test
    void refusesToRunOpenOffLoopbackAndLeavesTheDataDirectoryAlone() {
        Path data = LEADSCORE.directory().resolve("exposed");
        assertThatThrownBy(() -> LeadscoreServer.start(ServerConfig.forTests(data).withBindAddress("0.0.0.0"),
                                                       InProcessServerBuilder.forName(
                                                               InProcessServerBuilder.generateName()),
                                                       Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without authentication");
        assertThat(data).doesNotExist();
    }

    private Status call(MethodDescriptor<?, ?> method, BearerToken token) {
        return call(method, token, new Metadata());
    }

    /**
     * Calls {@code method} with an empty request (the default message) and returns how it ended. Streams the
     * server keeps open (watches) end at the deadline, which counts as allowed.
     */
    private Status call(MethodDescriptor<?, ?> method, BearerToken token, Metadata headers) {
        MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS);
        if (token != null) {
            options = options.withCallCredentials(token);
        }
        ClientCall<byte[], byte[]> call = LEADSCORE.channel().newCall(raw, options);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, headers);
        call.request(Integer.MAX_VALUE);
        call.sendMessage(new byte[0]);
        call.halfClose();
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }
}
