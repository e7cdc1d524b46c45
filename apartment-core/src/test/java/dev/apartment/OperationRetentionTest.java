package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A finished operation must not keep the operations posted after it reachable. If it did, one finished operation
 * that lives on (a handle the caller keeps, or simply one promoted to the old generation while it waited in a
 * backlog) would make every young collection copy the whole stream of later posts, and the heap would fill with
 * finished operations under sustained load.
 */
@Timeout(30)
class OperationRetentionTest {
    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    @Test
    void aFinishedOperationTheCallerKeepsDoesNotKeepLaterOperationsReachable() throws Exception {
        Dispatcher d = dispatchers.start("retention");
        Runnable noop = () -> { };
        // Blocked at NORMAL (not SEND): with nothing of a higher level announced, the NORMAL backlog then runs
        // straight from the inbox, the path on which a node would still link to the next one.
        CountDownLatch release = TestDispatchers.block(d, DispatcherPriority.NORMAL);
        DispatcherOperation<Void> kept = d.invokeAsync(noop, DispatcherPriority.NORMAL);
        List<WeakReference<DispatcherOperation<Void>>> later = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            // Every tenth at BACKGROUND: those wait in a lane, so both ways out of the queue are covered.
            DispatcherPriority p = i % 10 == 9 ? DispatcherPriority.BACKGROUND : DispatcherPriority.NORMAL;
            later.add(new WeakReference<>(d.invokeAsync(noop, p)));
        }
        CountDownLatch allRan = new CountDownLatch(1);
        d.post(allRan::countDown, DispatcherPriority.SYSTEM_IDLE);
        release.countDown();
        assertThat(allRan.await(5, TimeUnit.SECONDS)).as("backlog ran").isTrue();

        long reachable = later.size();
        for (int attempt = 0; attempt < 20 && reachable != 0; attempt++) {
            System.gc();
            reachable = later.stream().filter(r -> r.get() != null).count();
        }

        assertThat(kept.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(reachable).as("finished operations still reachable while an earlier one is kept").isZero();
        Reference.reachabilityFence(kept);
    }
}
