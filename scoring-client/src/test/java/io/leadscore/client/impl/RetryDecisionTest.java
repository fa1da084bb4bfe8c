package io.leadscore.client.impl;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.leadscore.client.LeadAlerts;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.AcceptLeadResponse;
import io.leadscore.v1.BacktestProgress;
import io.leadscore.v1.BacktestReport;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.PublishModelRequest;
import io.leadscore.v1.PublishModelResponse;
import io.leadscore.v1.PublishProgress;
import io.leadscore.v1.PublishSummary;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.RegisterLeadResponse;
import io.leadscore.v1.RunBacktestRequest;
import io.leadscore.v1.RunBacktestResponse;
import io.leadscore.v1.ScoreServiceGrpc;
import io.leadscore.v1.WatchLeadsRequest;
import io.leadscore.v1.WatchLeadsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which failures the client tries again: idempotent calls after any {@code UNAVAILABLE}; writes that are not
 * idempotent only when the server cannot have acted on them (the call never reached a connection, or the admission
 * limit refused it); streams never once the server has answered. And a watch ends on the server when it is closed.
 */
class RetryDecisionTest {

    /** What the test server does on each attempt, in turn; once the script is used up it answers normally. */
    private final Deque<Consumer<StreamObserver<?>>> script = new ArrayDeque<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final CountDownLatch watchCancelled = new CountDownLatch(1);
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        channel.shutdownNow();
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void aSalesTransitionTheServerAnsweredUnavailableIsNotSentAgain() throws IOException {
        script.add(fail(Status.UNAVAILABLE)); // the store may have failed after writing it

        assertThatThrownBy(() -> client().acceptLead(accept())).satisfies(code(Status.Code.UNAVAILABLE));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void anIdempotentWriteTheServerAnsweredUnavailableIsSentAgain() throws IOException {
        script.add(fail(Status.UNAVAILABLE));

        assertThat(client().registerLead(RegisterLeadRequest.newBuilder().setLeadId("lead-1").build()).getScore()
                           .getLeadId()).isEqualTo("lead-1");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aSalesTransitionRefusedByTheAdmissionLimitIsSentAgain() throws IOException {
        script.add(observer -> observer.onError(RetryingClientTest.busy(Duration.ofMillis(10))));

        assertThat(client().acceptLead(accept()).getScore().getLeadId()).isEqualTo("lead-1");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aSalesTransitionThatNeverReachedAServerIsTriedAgainUntilItsAttemptsAreUsedUp() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        channel = Grpc.newChannelBuilder("127.0.0.1:" + closedPort, InsecureChannelCredentials.create()).build();
        AtomicInteger tried = new AtomicInteger();
        Channel counted = ClientInterceptors.intercept(channel, new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                         Channel next) {
                tried.incrementAndGet();
                return next.newCall(method, options);
            }
        });

        assertThatThrownBy(() -> LeadscoreClient.create(counted, Duration.ofSeconds(5)).acceptLead(accept()))
                .satisfies(code(Status.Code.UNAVAILABLE));
        assertThat(tried).as("attempts: nothing was listening, so nothing can have been done").hasValue(4);
    }

    @Test
    void aPublishIsNotSentAgainOnceItMayHaveReachedTheServer() throws IOException {
        script.add(fail(Status.UNAVAILABLE));
        LeadscoreClient client = client();

        assertThatThrownBy(() -> client.publishModel(publish(), progress -> { }))
                .satisfies(code(Status.Code.UNAVAILABLE));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aBacktestIsTriedAgainUntilItsFirstProgressButNeverRestartedAfter() throws IOException {
        script.add(fail(Status.UNAVAILABLE));
        List<BacktestProgress> progress = new ArrayList<>();

        BacktestReport report = client().runBacktest(RunBacktestRequest.getDefaultInstance(), progress::add);

        assertThat(report.getCohortLeads()).isEqualTo(7);
        assertThat(attempts).hasValue(2);
        assertThat(progress).extracting(BacktestProgress::getEventsRead).containsExactly(50L);

        attempts.set(0);
        script.add(observer -> {
            send(observer, RunBacktestResponse.newBuilder()
                                              .setProgress(BacktestProgress.newBuilder().setEventsRead(50)).build());
            observer.onError(Status.UNAVAILABLE.asRuntimeException());
        });
        assertThatThrownBy(() -> client().runBacktest(RunBacktestRequest.getDefaultInstance(), read -> { }))
                .satisfies(code(Status.Code.UNAVAILABLE));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aPublishTellsItsProgressInOrderAndAnswersItsSummary() throws IOException {
        List<Long> replayed = new ArrayList<>();

        PublishSummary summary = client().publishModel(publish(), progress -> replayed.add(
                progress.getEventsReplayed()));

        assertThat(summary.getActiveVersion()).isEqualTo("default@2");
        assertThat(replayed).containsExactly(10L, 20L);
    }

    @Test
    void closingAWatchCancelsItsCallOnTheServerAndEndsAWaitInAnotherThread() throws Exception {
        LeadAlerts alerts = client().watchLeads(WatchLeadsRequest.getDefaultInstance());
        assertThat(alerts.next().getLeadId()).isEqualTo("lead-1");
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(alerts::hasNext); // no second alert comes

        Thread.sleep(100);
        alerts.close();

        assertThat(waiting.get(2, TimeUnit.SECONDS)).as("hasNext after close").isFalse();
        assertThat(watchCancelled.await(2, TimeUnit.SECONDS)).as("the server saw the watch cancelled").isTrue();
    }

    private LeadscoreClient client() throws IOException {
        if (server == null) {
            String name = InProcessServerBuilder.generateName();
            server = InProcessServerBuilder.forName(name).directExecutor().addService(new Leads())
                                           .addService(new Models()).addService(new Backtests())
                                           .addService(new Watches()).build().start();
            channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        }
        return LeadscoreClient.create(channel, Duration.ofSeconds(5));
    }

    /** Plays the next scripted failure, if any; answers whether the attempt is over. */
    private boolean scripted(StreamObserver<?> observer) {
        attempts.incrementAndGet();
        Consumer<StreamObserver<?>> step = script.poll();
        if (step != null) {
            step.accept(observer);
        }
        return step != null;
    }

    private final class Leads extends LeadServiceGrpc.LeadServiceImplBase {
        @Override
        public void acceptLead(AcceptLeadRequest request, StreamObserver<AcceptLeadResponse> response) {
            if (!scripted(response)) {
                answer(response, AcceptLeadResponse.newBuilder().setScore(score(request.getLeadId())).build());
            }
        }

        @Override
        public void registerLead(RegisterLeadRequest request, StreamObserver<RegisterLeadResponse> response) {
            if (!scripted(response)) {
                answer(response, RegisterLeadResponse.newBuilder().setScore(score(request.getLeadId())).build());
            }
        }
    }

    private final class Models extends ModelServiceGrpc.ModelServiceImplBase {
        @Override
        public void publishModel(PublishModelRequest request, StreamObserver<PublishModelResponse> response) {
            if (!scripted(response)) {
                for (long replayed : new long[] {10, 20}) {
                    response.onNext(PublishModelResponse.newBuilder().setProgress(
                            PublishProgress.newBuilder().setEventsReplayed(replayed).setHeadPosition(20)).build());
                }
                answer(response, PublishModelResponse.newBuilder().setSummary(
                        PublishSummary.newBuilder().setActiveVersion("default@2")).build());
            }
        }
    }

    private final class Backtests extends BacktestServiceGrpc.BacktestServiceImplBase {
        @Override
        public void runBacktest(RunBacktestRequest request, StreamObserver<RunBacktestResponse> response) {
            if (!scripted(response)) {
                response.onNext(RunBacktestResponse.newBuilder()
                                                   .setProgress(BacktestProgress.newBuilder().setEventsRead(50))
                                                   .build());
                answer(response, RunBacktestResponse.newBuilder()
                                                    .setReport(BacktestReport.newBuilder().setCohortLeads(7)).build());
            }
        }
    }

    private final class Watches extends ScoreServiceGrpc.ScoreServiceImplBase {
        @Override
        public void watchLeads(WatchLeadsRequest request, StreamObserver<WatchLeadsResponse> response) {
            ((ServerCallStreamObserver<WatchLeadsResponse>) response).setOnCancelHandler(watchCancelled::countDown);
            response.onNext(WatchLeadsResponse.newBuilder().setLeadId("lead-1").build()); // and then nothing
        }
    }

    private static AcceptLeadRequest accept() {
        return AcceptLeadRequest.newBuilder().setLeadId("lead-1").setActor("sam").build();
    }

    private static PublishModelRequest publish() {
        return PublishModelRequest.newBuilder().setModelId("default").setVersion(2).build();
    }

    private static LeadScore score(String leadId) {
        return LeadScore.newBuilder().setLeadId(leadId).build();
    }

    private static Consumer<StreamObserver<?>> fail(Status status) {
        return observer -> observer.onError(status.asRuntimeException());
    }

    @SuppressWarnings("unchecked")
    private static <T> void send(StreamObserver<?> observer, T message) {
        ((StreamObserver<T>) observer).onNext(message);
    }

    private static <T> void answer(StreamObserver<T> observer, T message) {
        observer.onNext(message);
        observer.onCompleted();
    }

    private static Consumer<Throwable> code(Status.Code code) {
        return failure -> assertThat(failure).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
