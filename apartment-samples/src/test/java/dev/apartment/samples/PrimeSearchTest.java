package dev.apartment.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class PrimeSearchTest {

    private static final PrimeSearch.Settings QUICK =
            new PrimeSearch.Settings(Duration.ofMillis(600), 100, Duration.ofMillis(2));

    @Test
    void findsExactlyThePrimesUpToWhereItStopped() throws InterruptedException {
        PrimeSearch.Result result = PrimeSearch.run(QUICK);

        assertThat(result.primesFound()).isPositive();
        assertThat(result.chunksRun()).isPositive();
        assertThat(result.lastChecked()).isGreaterThanOrEqualTo(3);
        assertThat(isPrime(result.biggestPrime())).as("biggest prime %d", result.biggestPrime()).isTrue();
        assertThat(result.lastPrimes()).isNotEmpty().allMatch(PrimeSearchTest::isPrime)
                .isSorted().endsWith(result.biggestPrime());
        assertThat(result.labelText()).isEqualTo(Long.toString(result.biggestPrime()));
        // nothing skipped, nothing invented: the count is pi(lastChecked), and no prime lies above the biggest
        assertThat(result.primesFound()).isEqualTo(primesUpTo(result.lastChecked()));
        assertThat(primesUpTo(result.lastChecked())).isEqualTo(primesUpTo(result.biggestPrime()));
        // one odd number per chunk, starting at 3
        assertThat(result.chunksRun()).isEqualTo((result.lastChecked() - 3) / 2 + 1);
    }

    @Test
    void handlesEveryInputItemOnTheUiThread() throws InterruptedException {
        PrimeSearch.Result result = PrimeSearch.run(QUICK);

        assertThat(result.uiThread()).isEqualTo("ui");
        assertThat(result.inputPosted()).isEqualTo(100);
        assertThat(result.inputHandled()).isEqualTo(100);
        assertThat(result.inputLatencyNanos()).hasSize(100).isSorted();
        assertThat(result.medianLatencyNanos()).isLessThanOrEqualTo(result.p99LatencyNanos());
        assertThat(result.p99LatencyNanos()).isLessThanOrEqualTo(result.worstLatencyNanos());
        // the chunks, the key presses and the Stop click are what ran on 'ui' while searching
        long[] ops = result.operationsByPriority();
        assertThat(ops[dev.apartment.DispatcherPriority.SYSTEM_IDLE.value()]).isEqualTo(result.chunksRun());
        assertThat(ops[dev.apartment.DispatcherPriority.INPUT.value()])
                .isEqualTo(result.inputHandledWhileSearching() + 1L);
    }

    @Test
    void leavesNoDispatcherThreadBehind() throws InterruptedException {
        PrimeSearch.run(new PrimeSearch.Settings(Duration.ofMillis(50), 5, Duration.ZERO));

        assertThat(Threads.alive("ui", "input-feeder")).isEmpty();
    }

    @Test
    void oddPrimeTestAgreesWithASieve() {
        BitSet composite = sieve(10_000);
        for (int n = 3; n < 10_000; n += 2) {
            assertThat(PrimeSearch.isOddPrime(n)).as("%d", n).isEqualTo(!composite.get(n));
        }
    }

    private static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    private static long primesUpTo(long n) {
        BitSet composite = sieve((int) n + 1);
        long count = 0;
        for (int i = 2; i <= n; i++) {
            if (!composite.get(i)) {
                count++;
            }
        }
        return count;
    }

    private static BitSet sieve(int size) {
        BitSet composite = new BitSet(size);
        for (int i = 2; (long) i * i < size; i++) {
            if (!composite.get(i)) {
                for (int j = i * i; j < size; j += i) {
                    composite.set(j);
                }
            }
        }
        return composite;
    }
}
