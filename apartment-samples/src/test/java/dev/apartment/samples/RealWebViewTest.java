package dev.apartment.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.stream.Collectors;

/** The tour's web view section against a real Chromium: run once, then checked fact by fact. */
@RequiresChromium
@Timeout(60)
class RealWebViewTest {
    private static RealWebView.Result result;

    @BeforeAll
    static void runOnce() throws Exception {
        result = RealWebView.run();
    }

    private static int order(String prefix) {
        return result.timeline().stream().filter(e -> e.what().strip().startsWith(prefix))
                .mapToInt(EventLog.Event::number).findFirst().orElseThrow(() -> new AssertionError("no event " + prefix
                        + " in " + result.timeline()));
    }

    @Test
    void nothingIsLeftRunning() {
        assertThat(result.browserEnded()).as("the browser process exited").isTrue();
        assertThat(ProcessHandle.of(result.browserPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Threads.alive("ui", "resource-server")).isEmpty();
    }

    @Test
    void everythingBelongsToTheUiThreadAndEveryHandlerRanThere() {
        assertThat(result.ownerThreads()).containsExactly("ui", "ui", "ui");
        List<String> threads = result.timeline().stream().map(EventLog.Event::thread).distinct()
                .collect(Collectors.toList());
        assertThat(threads).containsExactlyInAnyOrder("ui", "resource-server");
        assertThat(result.timeline().stream().filter(e -> e.thread().equals("resource-server"))
                .allMatch(e -> e.what().startsWith("rendered "))).isTrue();
    }

    @Test
    void theSynchronousWrappersReturnedInsideTheClickAndTheMessageHandler() {
        assertThat(result.browserPid()).isPositive();
        assertThat(order("create() returned")).isLessThan(order("createController() returned"));
        assertThat(result.answer()).isEqualTo("42");
        assertThat(result.title()).isEqualTo("\"" + AppSite.TITLE + "\"");
        assertThat(result.cookies()).isEqualTo("[session=42]");
        int message = order("WebMessageReceived {\"type\":\"ready\"}");
        assertThat(result.secondCreatedOrder()).isGreaterThan(message)
                .isLessThan(order("second controller closed; the handler returns"));
    }

    @Test
    void theKeyPressQueuedBeforeTheWaitsRanOnlyAfterTheClickHandler() {
        assertThat(result.keyPressQueuedOrder()).isLessThan(order("WebViewEnvironment.create(): waiting"));
        assertThat(result.keyPressOrder()).isGreaterThan(result.clickReturnedOrder());
    }

    @Test
    void thePageWasServedByTheAppAfterADeferral() {
        assertThat(result.deferralOrder()).isPositive();
        assertThat(result.renderedOrder()).isGreaterThan(result.deferralOrder());
        assertThat(result.respondedOrder()).isGreaterThan(result.renderedOrder());
        assertThat(order("NavigationStarting " + AppSite.HOME)).isLessThan(result.deferralOrder());
        assertThat(order("DocumentTitleChanged \"" + AppSite.TITLE + "\"")).isGreaterThan(result.respondedOrder());
        assertThat(order("NavigationCompleted success=true, HTTP 200")).isGreaterThan(result.respondedOrder());
    }

    @Test
    void theNaiveWrapperIsDiagnosedNamingTheUiThreadAndTheCallRunsLate() {
        assertThat(result.deadlock()).isNotNull();
        assertThat(result.deadlock().getMessage()).contains("thread 'ui'", "MESSAGE", "only this thread could run");
        assertThat(result.diagnosisNanos()).isLessThan(2_000_000_000L);
        assertThat(result.lateCallOrder()).isGreaterThan(result.diagnosedOrder());
    }

    @Test
    void theTimelineIsNumberedInOrder() {
        List<EventLog.Event> t = result.timeline();
        for (int i = 0; i < t.size(); i++) {
            assertThat(t.get(i).number()).isEqualTo(i + 1);
            if (i > 0) {
                assertThat(t.get(i).atNanos()).isGreaterThanOrEqualTo(t.get(i - 1).atNanos());
            }
        }
    }
}
