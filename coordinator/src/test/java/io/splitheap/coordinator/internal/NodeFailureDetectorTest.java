package io.splitheap.coordinator.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a node is declared dead: the phi threshold between the floor ({@code splitheap.node.timeout}) and the cap
 * ({@code splitheap.node.timeout.max}), on a clock the test moves.
 */
class NodeFailureDetectorTest
{
    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 200 * MS;
    private static final long FLOOR = 3_000 * MS;
    private static final long CAP = 30_000 * MS;

    private final NodeFailureDetector detector = new NodeFailureDetector(INTERVAL, FLOOR, CAP, 8);
    private long now = 5_000 * MS;

    private void beats(final int node, final long... intervals)
    {
        for (final long interval : intervals)
        {
            now += interval;
            detector.heartbeat(node, now);
        }
    }

    @Test
    void shouldNeverDeclareANodeDeadBeforeTheFloor()
    {
        detector.registered(1, now);
        for (int i = 0; i < 50; i++)
        {
            beats(1, INTERVAL);
        }
        assertTrue(detector.phi(1, now + 1_500 * MS) >= 8, "phi alone would have declared it dead");
        assertFalse(detector.isDead(1, now + FLOOR), "but not before the floor");
        assertTrue(detector.isDead(1, now + FLOOR + MS), "a regular node is dead just after the floor, as before");
    }

    @Test
    void shouldNotJudgeANodeRestoredAfterACoordinatorRestartBeforeItsGraceOrItsFirstHeartbeat()
    {
        final long grace = 10_000 * MS;
        detector.restored(3, now, grace);
        assertFalse(detector.isDead(3, now + grace - MS), "silent, but within the grace a member needs to reconnect");
        assertTrue(detector.isDead(3, now + grace + MS), "silent past the grace: it did not come back");

        detector.restored(4, now, grace);
        assertFalse(detector.isLate(4, now + 4_000 * MS), "not late either");
        beats(4, 4_000 * MS);
        assertFalse(detector.isDead(4, now + FLOOR), "the restart's gap does not count against the node");
        beats(4, INTERVAL, INTERVAL, INTERVAL);
        assertTrue(detector.isDead(4, now + FLOOR + MS), "judged as any node once it heartbeats again");
    }

    @Test
    void shouldGiveAJitteryNodeMoreTimeButNotMoreThanTheCap()
    {
        detector.registered(2, now);
        for (int i = 0; i < 20; i++)
        {
            beats(2, 150 * MS, 4_000 * MS, 250 * MS, 200 * MS, 6_000 * MS);
        }
        assertFalse(detector.isDead(2, now + 5_000 * MS), "its history has gaps this long: " +
            detector.describe(2, now + 5_000 * MS));
        assertTrue(detector.isDead(2, now + CAP), "the cap holds whatever the history");
    }

    @Test
    void shouldCallALateHeartbeatLateBeforeItIsADeath()
    {
        detector.registered(3, now);
        for (int i = 0; i < 50; i++)
        {
            beats(3, INTERVAL);
        }
        assertFalse(detector.isLate(3, now + INTERVAL + 20 * MS));
        assertTrue(detector.isLate(3, now + 1_000 * MS));
        assertFalse(detector.isDead(3, now + 1_000 * MS));
    }

    @Test
    void shouldStartAfreshWhenANodeRegistersAgain()
    {
        detector.registered(4, now);
        beats(4, INTERVAL, 9_000 * MS, INTERVAL, 9_000 * MS);
        assertFalse(detector.isDead(4, now + 4_000 * MS), "jittery history");
        detector.registered(4, now);
        assertTrue(detector.isDead(4, now + FLOOR + MS), "a restarted node is judged on its new history");
        assertFalse(detector.isDead(99, now + CAP), "a node never heard of is not judged");
    }
}
