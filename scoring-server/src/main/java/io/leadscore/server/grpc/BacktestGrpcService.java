package io.leadscore.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.leadscore.server.backtest.BacktestResult;
import io.leadscore.server.backtest.Backtester;
import io.leadscore.server.metrics.BusinessMetrics;
import io.leadscore.v1.BacktestProgress;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.RunBacktestResponse;

import java.util.concurrent.Executor;

/**
 * {@code leadscore.v1.BacktestService}: the request is read into a spec by {@link BacktestRequests} on the gRPC
 * thread, so an invalid one is refused at once; backtests run on their own executor, never on gRPC threads.
 */
public final class BacktestGrpcService extends BacktestServiceGrpc.BacktestServiceImplBase {

    private final Backtester backtester;
    private final BacktestRequests requests;
    private final Executor executor;
    private final BusinessMetrics metrics;

    public BacktestGrpcService(Backtester backtester, BacktestRequests requests, Executor executor,
                               BusinessMetrics metrics) {
        this.metrics = metrics;
        this.backtester = backtester;
        this.requests = requests;
        this.executor = executor;
    }

    @Override
    public void runBacktest(RunBacktestRequest request, StreamObserver<RunBacktestResponse> response) {
        ServerCallStreamObserver<RunBacktestResponse> call = (ServerCallStreamObserver<RunBacktestResponse>) response;
        Calls.parse(response, () -> requests.runBacktest(request)).ifPresent(spec -> executor.execute(() -> {
            try {
                BacktestResult result = backtester.run(spec, (read, total, leads) -> {
                    if (call.isCancelled()) {
                        throw new java.util.concurrent.CancellationException("the caller cancelled the backtest");
                    }
                    // Progress is a courtesy: skipped while the client is slow, never buffered without bound.
                    if (call.isReady()) {
                        call.onNext(RunBacktestResponse.newBuilder().setProgress(BacktestProgress.newBuilder()
                                .setEventsRead(read).setEventsTotal(total).setLeadsSeen(leads)).build());
                    }
                });
                metrics.backtestRun("ok");
                if (!call.isCancelled()) {
                    call.onNext(RunBacktestResponse.newBuilder().setReport(BacktestMessages.toProto(result)).build());
                    call.onCompleted();
                }
            } catch (java.util.concurrent.CancellationException e) {
                metrics.backtestRun("cancelled");
            } catch (RuntimeException e) {
                metrics.backtestRun("failed");
                Calls.fail(call, e);
            } catch (Error e) {
                // An Error (out of memory above all) would otherwise end this thread and leave the call open
                // until its deadline: the caller gets a status, and what the backtest held is garbage from here.
                metrics.backtestRun("failed");
                Calls.fail(call, e);
            }
        }));
    }
}
