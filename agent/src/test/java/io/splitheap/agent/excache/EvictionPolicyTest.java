package io.splitheap.agent.excache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replacement policies on their own, driven as the ExCache drives them: every fill is a miss, hits stamp the
 * frame with the current stamp, and a victim that cannot be evicted now is handed back with {@code keep}.
 */
class EvictionPolicyTest
{
    private static final int FRAMES = 16;

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "lru", "clock"})
    void shouldOfferEveryFrameWhenVictimsAreKeptOneAfterAnother(final String name)
    {
        final EvictionPolicy policy = filledAndAllHit(EvictionPolicy.create(name, FRAMES));
        final Set<Integer> offered = new HashSet<>();
        for (int scan = 0; scan < FRAMES + 1; scan++)
        {
            final int victim = policy.nextVictim();
            offered.add(victim);
            policy.keep(victim);
        }
        assertEquals(FRAMES, offered.size(), "a scan of frames + 1 victims offers every frame: " + offered);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "lru", "clock"})
    void shouldNotOfferAKeptFrameAgainBeforeTheOthers(final String name)
    {
        final EvictionPolicy policy = filledAndAllHit(EvictionPolicy.create(name, FRAMES));
        final int pinned = policy.nextVictim();
        policy.keep(pinned);
        assertNotEquals(pinned, policy.nextVictim(), "the frame just kept (say, pinned by a writer)");
    }

    @Test
    void shouldKeepLeastRecentlyUsedOrderWhenTheClockIsRenumbered()
    {
        final LruPolicy policy = new LruPolicy(4, Integer.MAX_VALUE - 6);
        for (int frame = 0; frame < 4; frame++)
        {
            policy.onMiss();
            policy.onFill(frame);
        }
        policy.onMiss();
        policy.stamps()[1] = policy.currentStamp();
        for (int i = 0; i < 4; i++)
        {
            policy.onMiss();
        }
        assertTrue(policy.currentStamp() < 100, "renumbered before overflowing: " + policy.currentStamp());
        policy.stamps()[0] = policy.currentStamp();
        assertEquals(2, policy.nextVictim());
        assertEquals(3, policy.nextVictim());
        assertEquals(1, policy.nextVictim());
        assertEquals(0, policy.nextVictim());
        assertEquals(-1, policy.nextVictim());
    }

    private static EvictionPolicy filledAndAllHit(final EvictionPolicy policy)
    {
        for (int frame = 0; frame < FRAMES; frame++)
        {
            policy.onMiss();
            policy.onFill(frame);
        }
        final int[] stamps = policy.stamps();
        if (stamps != null)
        {
            for (int frame = 0; frame < FRAMES; frame++)
            {
                stamps[frame] = policy.currentStamp();
            }
        }
        return policy;
    }
}
