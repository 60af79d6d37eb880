package io.splitheap.agent.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JFR event: a demand miss that took longer than {@code jfr.slow.miss} (1 ms by default) to fetch its line from a
 * memory node. Recorded by any JFR recording ({@code -XX:StartFlightRecording}, JDK Mission Control) as
 * {@code io.splitheap.SlowMiss}.
 */
@Name("io.splitheap.SlowMiss")
@Label("Slow Far-Memory Miss")
@Category("Splitheap")
@Description("A line fetch from a memory node that took longer than the agent's jfr.slow.miss threshold")
public final class SlowMissEvent extends jdk.jfr.Event
{
    /**
     * Property: the threshold, in nanoseconds (the agent sets it from {@code jfr.slow.miss}).
     */
    public static final String THRESHOLD_PROP_NAME = "splitheap.jfr.slow.miss.ns";

    /**
     * Misses at least this long are recorded.
     */
    public static final long THRESHOLD_NS = Long.getLong(THRESHOLD_PROP_NAME, 1_000_000L);

    @Label("Address")
    @Description("Far address of the line")
    long address;

    @Label("Line Size")
    @DataAmount
    int lineBytes;

    @Label("Fetch Time")
    @Timespan(Timespan.NANOSECONDS)
    long fetchNanos;

    /**
     * Records a slow miss (when a recording wants this event).
     *
     * @param address    far address of the line.
     * @param lineBytes  line size.
     * @param fetchNanos how long the fetch took.
     */
    public static void record(final long address, final int lineBytes, final long fetchNanos)
    {
        final SlowMissEvent event = new SlowMissEvent();
        if (event.shouldCommit())
        {
            event.address = address;
            event.lineBytes = lineBytes;
            event.fetchNanos = fetchNanos;
            event.commit();
        }
    }
}
