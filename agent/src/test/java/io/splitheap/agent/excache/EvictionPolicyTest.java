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
    @ValueSource(strings = {"fifo", "lru", "clock", "sweep"})
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
    @ValueSource(strings = {"fifo", "lru", "clock", "sweep"})
    void shouldNotOfferAKeptFrameAgainBeforeTheOthers(final String name)
    {
        final EvictionPolicy policy = filledAndAllHit(EvictionPolicy.create(name, FRAMES));
        final int pinned = policy.nextVictim();
        policy.keep(pinned);
        assertNotEquals(pinned, policy.nextVictim(), "the frame just kept (say, pinned by a writer)");
    }

    @Test
    void shouldKeepTheStartOfASweepLargerThanTheCacheForItsNextPass()
    {
        final int frames = 4096;
        final int lines = 4 * frames;
        for (final String name : new String[]{"fifo", "sweep"})
        {
            final EvictionPolicy policy = EvictionPolicy.create(name, frames);
            final int[] lineOfFrame = new int[frames];
            final int[] frameOfLine = new int[lines];
            java.util.Arrays.fill(frameOfLine, -1);
            int nextFree = 0;
            int hits = 0;
            for (int pass = 0; pass < 3; pass++)
            {
                for (int line = 0; line < lines; line++)
                {
                    if (frameOfLine[line] >= 0)
                    {
                        hits += pass == 2 ? 1 : 0;
                        continue;
                    }
                    final int frame;
                    if (nextFree < frames)
                    {
                        frame = nextFree++;
                    }
                    else
                    {
                        frame = policy.nextVictim();
                        frameOfLine[lineOfFrame[frame]] = -1;
                    }
                    lineOfFrame[frame] = line;
                    frameOfLine[line] = frame;
                    policy.onStreamFill(frame);
                }
            }
            if ("fifo".equals(name))
            {
                assertEquals(0, hits, "FIFO evicts what a cyclic sweep needs next");
            }
            else
            {
                assertTrue(hits >= frames * 3 / 4, "sweep keeps the start of the pass resident: " + hits +
                    " hits of " + lines + " lines with " + frames + " frames");
            }
        }
    }

    @Test
    void shouldEvictLinesNotReadAheadOnlyWhenNoAgedStreamLineIsLeft()
    {
        final EvictionPolicy policy = EvictionPolicy.create("sweep", 1024);
        policy.onFill(0);
        for (int frame = 1; frame < 1024; frame++)
        {
            policy.onStreamFill(frame);
        }
        final Set<Integer> victims = new HashSet<>();
        for (int i = 0; i < 1023 - 512; i++)
        {
            victims.add(policy.nextVictim());
        }
        assertTrue(!victims.contains(0), "the randomly filled frame stays while aged stream lines remain");
        assertEquals(0, policy.nextVictim(), "then it goes before the recent window");
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
