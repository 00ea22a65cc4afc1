package io.platform.common.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileGateTest {

    private static final ObjectKey KEY = new ObjectKey("default", "web");

    @Test
    void closeWaitsForARunningReconcileAndLaterOnesDoNothing() throws Exception {
        ReconcileGate gate = new ReconcileGate();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Reconciler guarded = gate.guard(key -> {
            calls.incrementAndGet();
            entered.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return Result.requeue();
        });
        CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> reconcile(guarded));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> gate.close(Duration.ofSeconds(10)));
        assertThat(closed).isNotDone();
        release.countDown();

        assertThat(closed.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(Result.requeue());
        assertThat(guarded.reconcile(KEY)).isEqualTo(Result.done());
        assertThat(calls).hasValue(1);
    }

    @Test
    void closeGivesUpAfterTheTimeout() throws Exception {
        ReconcileGate gate = new ReconcileGate();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Reconciler guarded = gate.guard(key -> {
            entered.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return Result.done();
        });
        CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> reconcile(guarded));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(gate.close(Duration.ofMillis(100))).isFalse();
        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(Result.done());
    }

    private static Result reconcile(Reconciler reconciler) {
        try {
            return reconciler.reconcile(KEY);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
