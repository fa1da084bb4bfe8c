package io.leadscore.server.grpc;

import io.grpc.stub.StreamObserver;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.projection.LeadScoreStore;
import io.leadscore.v1.BatchGetScoresRequest;
import io.leadscore.v1.BatchGetScoresResponse;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.ScoreServiceGrpc;

/** {@code leadscore.v1.ScoreService}: answers from the in-memory score projection, never touching the store. */
public final class ScoreGrpcService extends ScoreServiceGrpc.ScoreServiceImplBase {

    static final int MAX_BATCH = 1000;

    private final LeadScoreStore scores;
    private final RequestValidator validator;

    public ScoreGrpcService(LeadScoreStore scores, RequestValidator validator) {
        this.scores = scores;
        this.validator = validator;
    }

    @Override
    public void getScore(GetScoreRequest request, StreamObserver<GetScoreResponse> response) {
        try {
            validator.validateLeadId(request.getLeadId(), "lead_id");
            LeadSnapshot lead = scores.find(request.getLeadId()).orElseThrow(
                    () -> new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "lead_id", "no lead with this id is scored"));
            response.onNext(GetScoreResponse.newBuilder().setScore(ProtoMapper.toProto(lead)).build());
            response.onCompleted();
        } catch (LeadscoreException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void batchGetScores(BatchGetScoresRequest request, StreamObserver<BatchGetScoresResponse> response) {
        try {
            if (request.getLeadIdsCount() > MAX_BATCH) {
                throw RequestValidator.invalid("lead_ids", "has " + request.getLeadIdsCount()
                                                           + " entries; at most " + MAX_BATCH);
            }
            BatchGetScoresResponse.Builder builder = BatchGetScoresResponse.newBuilder();
            for (int i = 0; i < request.getLeadIdsCount(); i++) {
                String leadId = request.getLeadIds(i);
                validator.validateLeadId(leadId, "lead_ids[" + i + "]");
                scores.find(leadId).ifPresentOrElse(lead -> builder.addScores(ProtoMapper.toProto(lead)),
                                                    () -> builder.addNotFoundLeadIds(leadId));
            }
            response.onNext(builder.build());
            response.onCompleted();
        } catch (LeadscoreException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }
}
