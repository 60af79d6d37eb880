package io.splitheap.coordinator.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The phi accrual detector on a clock the test moves: no sleeping, the same result on every run.
 */
class PhiAccrualDetectorTest
{
    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 200 * MS;
    private static final double THRESHOLD = 8;
    // intervals of a node on a loaded host: mostly on time, sometimes seconds late
    private static final long[] JITTER = {100 * MS, 200 * MS, 1500 * MS, 150 * MS, 300 * MS, 2200 * MS, 90 * MS,
        250 * MS, 900 * MS, 200 * MS};

    private long now = 1_000 * MS;

    private PhiAccrualDetector regular(final int beats)
    {
        final PhiAccrualDetector detector = new PhiAccrualDetector(100, INTERVAL, INTERVAL / 2, now);
        for (int i = 0; i < beats; i++)
        {
            now += INTERVAL;
            detector.heartbeat(now);
        }
        return detector;
    }

    private PhiAccrualDetector jittery(final int beats)
    {
        final PhiAccrualDetector detector = new PhiAccrualDetector(100, INTERVAL, INTERVAL / 2, now);
        for (int i = 0; i < beats; i++)
        {
            now += JITTER[i % JITTER.length];
            detector.heartbeat(now);
        }
        return detector;
    }

    @Test
    void shouldKeepPhiLowWhileHeartbeatsComeRegularly()
    {
        final PhiAccrualDetector detector = regular(100);
        assertEquals(INTERVAL, detector.meanNs(), 1.0);
        assertEquals(INTERVAL / 2.0, detector.stdDevNs(), 1.0, "no variance: the floor");
        assertTrue(detector.phi(now) < 0.1, "just heard from: " + detector.phi(now));
        assertTrue(detector.phi(now + INTERVAL) < 1, "the next one is due: " + detector.phi(now + INTERVAL));
        assertTrue(detector.phi(now + 2 * INTERVAL) < THRESHOLD, "one heartbeat late is not a death");
    }

    @Test
    void shouldCrossTheThresholdWhenRegularHeartbeatsStop()
    {
        final PhiAccrualDetector detector = regular(100);
        double previous = detector.phi(now);
        for (long silence = 50 * MS; silence <= 1500 * MS; silence += 50 * MS)
        {
            final double phi = detector.phi(now + silence);
            assertTrue(phi >= previous, "phi grows with silence: " + phi + " after " + previous);
            previous = phi;
        }
        assertTrue(detector.phi(now + 1200 * MS) >= THRESHOLD, "6 intervals of silence: " +
            detector.phi(now + 1200 * MS));
        final long crossing = firstSilenceAtThreshold(detector);
        assertTrue(crossing > 2 * INTERVAL && crossing < 1500 * MS, "crossed after " + crossing / MS + "ms");
    }

    @Test
    void shouldTolerateLongerGapsAfterJitteryHeartbeats()
    {
        final PhiAccrualDetector steady = regular(100);
        final long steadyCrossing = firstSilenceAtThreshold(steady);
        final PhiAccrualDetector loaded = jittery(100);
        final long loadedCrossing = firstSilenceAtThreshold(loaded);
        assertTrue(loaded.stdDevNs() > 5 * steady.stdDevNs(), loaded.stdDevNs() + " vs " + steady.stdDevNs());
        assertTrue(loaded.phi(now + 2500 * MS) < THRESHOLD, "a gap the history has seen is tolerated: phi=" +
            loaded.phi(now + 2500 * MS));
        assertTrue(loadedCrossing > 3 * steadyCrossing, "loaded crossed after " + loadedCrossing / MS +
            "ms, steady after " + steadyCrossing / MS + "ms");
        assertTrue(loaded.phi(now + 20_000 * MS) >= THRESHOLD, "but a long enough silence is still a death");
    }

    @Test
    void shouldForgetTheOldestIntervals()
    {
        final PhiAccrualDetector detector = new PhiAccrualDetector(10, INTERVAL, INTERVAL / 2, now);
        for (final long interval : JITTER)
        {
            now += interval;
            detector.heartbeat(now);
        }
        assertTrue(detector.stdDevNs() > 500 * MS, "jittery window: " + detector.stdDevNs() / MS + "ms");
        for (int i = 0; i < 10; i++)
        {
            now += INTERVAL;
            detector.heartbeat(now);
        }
        assertEquals(INTERVAL, detector.meanNs(), 1.0, "only regular intervals left in the window");
        assertEquals(INTERVAL / 2.0, detector.stdDevNs(), 1.0);
    }

    @Test
    void shouldKeepExactStatisticsOverALongLife()
    {
        final PhiAccrualDetector detector = new PhiAccrualDetector(
            PhiAccrualDetector.MAX_WINDOW, INTERVAL, MS, now);
        for (int i = 0; i < 2_000_000; i++)
        {
            now += (i & 1) == 0 ? 190 * MS : 210 * MS;
            detector.heartbeat(now);
        }
        assertEquals(INTERVAL, detector.meanNs(), 0.0);
        assertEquals(10 * MS, detector.stdDevNs(), 0.0, "running sums do not drift");
    }

    @Test
    void shouldRefuseAWindowItsSumsCannotHold()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new PhiAccrualDetector(PhiAccrualDetector.MAX_WINDOW + 1, INTERVAL, MS, now));
        assertThrows(IllegalArgumentException.class, () -> new PhiAccrualDetector(100, INTERVAL, 0, now));
    }

    private long firstSilenceAtThreshold(final PhiAccrualDetector detector)
    {
        long silence = 0;
        while (detector.phi(now + silence) < THRESHOLD)
        {
            silence += 10 * MS;
        }
        return silence;
    }
}
