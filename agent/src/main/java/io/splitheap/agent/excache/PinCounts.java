package io.splitheap.agent.excache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How many writer threads pin each frame. Updated with full-fence atomics so that the pin/evict handshake in
 * {@link WriterSlots} holds.
 */
public final class PinCounts
{
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] counts;

    /**
     * Counts for frames.
     *
     * @param frames number of frames.
     */
    public PinCounts(final int frames)
    {
        this.counts = new int[frames];
    }

    /**
     * Pins a frame.
     *
     * @param frame frame index.
     */
    public void increment(final int frame)
    {
        COUNTS.getAndAdd(counts, frame, 1);
    }

    /**
     * Unpins a frame.
     *
     * @param frame frame index.
     */
    public void decrement(final int frame)
    {
        COUNTS.getAndAdd(counts, frame, -1);
    }

    /**
     * Whether a frame is pinned.
     *
     * @param frame frame index.
     * @return true if any thread pins it.
     */
    public boolean isPinned(final int frame)
    {
        return (int)COUNTS.getVolatile(counts, frame) != 0;
    }
}
