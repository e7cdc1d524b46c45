package dev.apartment.samples;

import dev.apartment.samples.WeatherForecast.Event;
import dev.apartment.samples.WeatherForecast.Step;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class WeatherForecastTest {

    private static WeatherForecast.Result result;

    @BeforeAll
    static void runOnce() throws InterruptedException {
        result = WeatherForecast.run(new WeatherForecast.Settings(Duration.ofMillis(600), Duration.ofMillis(20)));
    }

    @Test
    void fetchesOnABackgroundThreadAndUpdatesOnTheUiThread() {
        assertThat(result.uiThread()).isEqualTo("ui");
        assertThat(result.event(Step.CLICKED).thread()).isEqualTo("ui");
        assertThat(result.event(Step.FETCH_STARTED).thread()).isEqualTo("weather-fetcher");
        assertThat(result.event(Step.FETCHED).thread()).isEqualTo("weather-fetcher");
        assertThat(result.event(Step.UPDATED).thread()).isEqualTo("ui");
        assertThat(result.event(Step.PROBED).thread()).isEqualTo(Thread.currentThread().getName())
                .isNotEqualTo("ui");
    }

    @Test
    void timelineIsCausallyOrderedAndNumbered() {
        assertThat(result.timeline()).extracting(Event::number).containsExactly(1, 2, 3, 4, 5);
        assertThat(result.timeline()).extracting(Event::step)
                .containsExactlyInAnyOrder(Step.values())
                .startsWith(Step.CLICKED)
                .endsWith(Step.UPDATED);
        assertThat(result.event(Step.FETCH_STARTED).number()).isLessThan(result.event(Step.FETCHED).number());
        assertThat(result.event(Step.PROBED).number()).isGreaterThan(result.event(Step.FETCH_STARTED).number());
        assertThat(result.timeline()).extracting(Event::atNanos).isSorted();
    }

    @Test
    void uiStayedResponsiveDuringTheFetch() {
        // The probe found the button still disabled, so 'ui' answered it before the forecast arrived.
        assertThat(result.buttonEnabledWhenProbed()).isFalse();
        assertThat(result.framesDuringFetch()).isPositive();
    }

    @Test
    void endsWithTheForecastShownAndTheButtonEnabled() {
        assertThat(result.forecast()).isIn("rainy", "sunny");
        assertThat(result.labelAfter()).isEqualTo(result.forecast());
        assertThat(result.buttonEnabledAfter()).isTrue();
        assertThat(result.buttonContentAfter()).isEqualTo("Fetch Forecast");
        assertThat(Threads.alive("ui")).isEmpty();
    }
}
