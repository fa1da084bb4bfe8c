package io.leadscore.bench.harness;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetScoreResponse;
import io.leadscore.v1.ScoreServiceGrpc;

import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The ceiling GetScore is measured against: a bare grpc-java server answering {@code ScoreService.GetScore} from a
 * map of ready responses, on the event loop (no executor hop), as fast as grpc-java answers anything. Run as its
 * own process so it shares the machine with the load client exactly as Leadscore does.
 *
 * <pre>java -cp benchmarks.jar io.leadscore.bench.harness.BareScoreServer LEADS ID_PREFIX BASE64_RESPONSE</pre>
 *
 * <p>Every lead {@code ID_PREFIX + i} gets the template response with its own id; prints {@code PORT n} once
 * listening.
 */
public final class BareScoreServer extends ScoreServiceGrpc.ScoreServiceImplBase {

    private final Map<String, GetScoreResponse> responses;

    private BareScoreServer(Map<String, GetScoreResponse> responses) {
        this.responses = responses;
    }

    @Override
    public void getScore(GetScoreRequest request, StreamObserver<GetScoreResponse> response) {
        GetScoreResponse answer = responses.get(request.getLeadId());
        if (answer == null) {
            response.onError(io.grpc.Status.NOT_FOUND.withDescription("no such lead").asRuntimeException());
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }

    public static void main(String[] args) throws Exception {
        int leads = Integer.parseInt(args[0]);
        String prefix = args[1];
        GetScoreResponse template = GetScoreResponse.parseFrom(Base64.getDecoder().decode(args[2]));
        Map<String, GetScoreResponse> responses = new HashMap<>(leads * 2);
        for (int i = 0; i < leads; i++) {
            String leadId = prefix + i;
            responses.put(leadId, template.toBuilder()
                    .setScore(template.getScore().toBuilder().setLeadId(leadId)).build());
        }
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(new BareScoreServer(responses))
                .build().start();
        System.out.println("PORT " + server.getPort());
        System.out.flush();
        server.awaitTermination();
    }
}
