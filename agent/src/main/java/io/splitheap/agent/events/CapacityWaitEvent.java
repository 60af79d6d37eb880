package io.splitheap.agent.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR event: an allocation found far memory full and waited for dead far arrays to be reclaimed (the event's
 * duration is the wait), as {@code io.splitheap.CapacityWait}.
 */
@Name("io.splitheap.CapacityWait")
@Label("Far-Memory Capacity Wait")
@Category("Splitheap")
@Description("A far allocation that found the cluster or far.max full and waited for reclamation")
public final class CapacityWaitEvent extends jdk.jfr.Event
{
    @Label("Requested")
    @DataAmount
    long bytes;

    @Label("Succeeded")
    boolean succeeded;

    /**
     * Starts timing a wait.
     *
     * @param bytes bytes the allocation needs.
     * @return the event, begun.
     */
    public static CapacityWaitEvent begin(final long bytes)
    {
        final CapacityWaitEvent event = new CapacityWaitEvent();
        event.bytes = bytes;
        event.begin();
        return event;
    }

    /**
     * Ends the wait.
     *
     * @param succeeded whether the allocation got its memory.
     */
    public void finish(final boolean succeeded)
    {
        this.succeeded = succeeded;
        commit();
    }
}
