package io.leadscore.server.grpc.security;

import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.ScoreServiceGrpc;

import java.util.Map;
import java.util.Optional;

/**
 * The role each RPC needs: the one place access is decided. A method missing here is refused to everyone (fail
 * closed), and {@code AccessControlEndToEndTest} checks that every method of every {@code leadscore.v1} service is
 * listed.
 */
public final class RpcRoles {

    private static final Map<String, Role> REQUIRED = Map.ofEntries(
            Map.entry(LeadServiceGrpc.getRegisterLeadMethod().getFullMethodName(), Role.INGEST),
            Map.entry(LeadServiceGrpc.getUpdateProfileMethod().getFullMethodName(), Role.INGEST),
            Map.entry(LeadServiceGrpc.getRecordEngagementMethod().getFullMethodName(), Role.INGEST),
            Map.entry(LeadServiceGrpc.getStreamEngagementsMethod().getFullMethodName(), Role.INGEST),
            Map.entry(LeadServiceGrpc.getAdjustScoreMethod().getFullMethodName(), Role.SALES),
            Map.entry(LeadServiceGrpc.getAcceptLeadMethod().getFullMethodName(), Role.SALES),
            Map.entry(LeadServiceGrpc.getRejectLeadMethod().getFullMethodName(), Role.SALES),
            Map.entry(LeadServiceGrpc.getDisqualifyLeadMethod().getFullMethodName(), Role.SALES),
            Map.entry(LeadServiceGrpc.getRecordOpportunityMethod().getFullMethodName(), Role.SALES),
            Map.entry(LeadServiceGrpc.getCloseWonMethod().getFullMethodName(), Role.SALES),
            Map.entry(LeadServiceGrpc.getCloseLostMethod().getFullMethodName(), Role.SALES),
            Map.entry(LeadServiceGrpc.getReopenLeadMethod().getFullMethodName(), Role.SALES),
            Map.entry(LeadServiceGrpc.getImportOutcomeMethod().getFullMethodName(), Role.SALES),
            // Another system's whole history, outcomes included, outside the stage rules: an administrator's import.
            Map.entry(LeadServiceGrpc.getImportLeadMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(LeadServiceGrpc.getEraseLeadMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(ScoreServiceGrpc.getGetScoreMethod().getFullMethodName(), Role.READER),
            Map.entry(ScoreServiceGrpc.getBatchGetScoresMethod().getFullMethodName(), Role.READER),
            Map.entry(ScoreServiceGrpc.getGetScoreAtMethod().getFullMethodName(), Role.READER),
            Map.entry(ScoreServiceGrpc.getExplainScoreMethod().getFullMethodName(), Role.READER),
            Map.entry(ScoreServiceGrpc.getGetStageHistoryMethod().getFullMethodName(), Role.READER),
            Map.entry(ScoreServiceGrpc.getListLeadsMethod().getFullMethodName(), Role.READER),
            Map.entry(ScoreServiceGrpc.getWatchLeadsMethod().getFullMethodName(), Role.READER),
            Map.entry(ScoreServiceGrpc.getGetAccountScoreMethod().getFullMethodName(), Role.READER),
            Map.entry(AnalyticsServiceGrpc.getGetFunnelReportMethod().getFullMethodName(), Role.READER),
            Map.entry(AnalyticsServiceGrpc.getRecordSpendMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(ModelServiceGrpc.getValidateModelMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(ModelServiceGrpc.getCreateModelMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(ModelServiceGrpc.getGetModelMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(ModelServiceGrpc.getListModelsMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(ModelServiceGrpc.getPublishModelMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(ModelServiceGrpc.getRollbackModelMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(BacktestServiceGrpc.getRunBacktestMethod().getFullMethodName(), Role.ADMIN));

    private RpcRoles() {
    }

    /** The role {@code fullMethodName} needs, or empty when the method is not listed (and hence refused). */
    public static Optional<Role> requiredRole(String fullMethodName) {
        return Optional.ofNullable(REQUIRED.get(fullMethodName));
    }

    /**
     * Services any authenticated caller may use whatever its roles: reflection describes the public API and holds
     * no data. (Health is not behind access control at all, so that probes need no credentials.)
     */
    public static boolean openToEveryCaller(String serviceName) {
        return ServerReflectionGrpc.SERVICE_NAME.equals(serviceName);
    }
}
