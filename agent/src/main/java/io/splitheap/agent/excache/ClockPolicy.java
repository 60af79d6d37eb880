package io.splitheap.agent.excache;

/**
 * CLOCK (second chance): a hit sets its frame's reference stamp; the hand sweeps frames in order, clearing stamps,
 * and evicts the first resident frame whose stamp is clear.
 */
final class ClockPolicy implements EvictionPolicy
{
    private static final int REFERENCED = 1;

    private final int[] stamps;
    private final boolean[] resident;
    private int hand;
    private int residentCount;

    ClockPolicy(final int frames)
    {
        this.stamps = new int[frames];
        this.resident = new boolean[frames];
    }

    public void onFill(final int frame)
    {
        if (!resident[frame])
        {
            resident[frame] = true;
            residentCount++;
        }
        stamps[frame] = REFERENCED;
    }

    public int nextVictim()
    {
        if (residentCount == 0)
        {
            return -1;
        }
        final int frames = stamps.length;
        for (int step = 0; step < 2 * frames + 1; step++)
        {
            final int frame = hand;
            hand = hand + 1 == frames ? 0 : hand + 1;
            if (!resident[frame])
            {
                continue;
            }
            if (stamps[frame] != 0)
            {
                stamps[frame] = 0;
                continue;
            }
            resident[frame] = false;
            residentCount--;
            return frame;
        }
        return -1;
    }

    public void keep(final int frame)
    {
        onFill(frame);
    }

    public void remove(final int frame)
    {
        if (resident[frame])
        {
            resident[frame] = false;
            residentCount--;
        }
    }

    public int tracked()
    {
        return residentCount;
    }

    public int[] stamps()
    {
        return stamps;
    }

    public int currentStamp()
    {
        return REFERENCED;
    }

    public void onMiss()
    {
    }
}
