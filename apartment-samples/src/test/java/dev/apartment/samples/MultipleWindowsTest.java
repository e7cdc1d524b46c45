package dev.apartment.samples;

import dev.apartment.WrongDispatcherException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class MultipleWindowsTest {

    private static MultipleWindows.Result result;

    @BeforeAll
    static void runOnce() throws InterruptedException {
        result = MultipleWindows.run(new MultipleWindows.Settings(Duration.ofMillis(600), 3));
    }

    @Test
    void idleWindowAnsweredWhileTheBusyOneWasBusy() {
        assertThat(result.idleRoundTripNanos()).hasSize(3);
        assertThat(result.idleAnsweredWhileBusy()).isTrue();
        assertThat(result.busyStartedOrder()).isLessThan(result.lastIdleAnswerOrder());
        assertThat(result.lastIdleAnswerOrder()).isLessThan(result.busyFinishedOrder());
    }

    @Test
    void busyWindowAnsweredOnlyAfterItsOperation() {
        assertThat(result.busyAnswerOrder()).isGreaterThan(result.busyFinishedOrder());
        assertThat(result.queuedNavigateOrder()).isGreaterThan(result.busyFinishedOrder());
        assertThat(result.window1TitleAfter()).isEqualTo("https://example.org/queued-by-window-2");
    }

    @Test
    void touchingWindowOneFromWindowTwosThreadThrows() {
        WrongDispatcherException e = result.wrongAccess();
        assertThat(e).isNotNull();
        assertThat(e.ownerThread().getName()).isEqualTo("window-1");
        assertThat(e.callingThread().getName()).isEqualTo("window-2");
        assertThat(e.getMessage()).contains("'window-1'", "'window-2'");
    }

    @Test
    void eachWindowHadItsOwnThreadAndBothEnded() {
        assertThat(result.window1Thread()).isEqualTo("window-1");
        assertThat(result.window2Thread()).isEqualTo("window-2");
        assertThat(Threads.alive("window-1", "window-2")).isEmpty();
    }
}
