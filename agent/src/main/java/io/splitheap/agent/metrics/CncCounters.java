package io.splitheap.agent.metrics;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.CloseHelper;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The agent's counters in the media driver's CnC file, next to Aeron's own, so that {@code AeronStat} (and anything
 * reading counters) shows them: type id {@link #TYPE_ID}, labels {@code splitheap <name> pid=<cluster pid>}, updated
 * once a second by a daemon thread.
 */
public final class CncCounters implements AutoCloseable
{
    /**
     * Counter type id of Splitheap's agent counters.
     */
    public static final int TYPE_ID = 0x5348_0001;

    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final Counter[] counters;
    private final LongSupplier[] values;
    private final Thread thread;

    /**
     * Adds the counters and starts updating them.
     *
     * @param aeron   the agent's Aeron client.
     * @param metrics the agent's metrics.
     * @param pid     the process's cluster-wide pid, in the labels.
     */
    public CncCounters(final Aeron aeron, final AgentMetrics metrics, final int pid)
    {
        final String[] names = {"hits", "misses", "evictions", "writebacks", "prefetches", "far_bytes",
            "live_far_bytes", "bytes_in", "bytes_out"};
        values = new LongSupplier[]{metrics::getHits, metrics::getMisses, metrics::getEvictions,
            metrics::getWriteBacks, metrics::getPrefetches, metrics::getFarBytes, metrics::getLiveFarBytes,
            metrics::getBytesIn, metrics::getBytesOut};
        counters = new Counter[names.length];
        for (int i = 0; i < names.length; i++)
        {
            counters[i] = aeron.addCounter(TYPE_ID, "splitheap " + names[i] + " pid=" + pid);
        }
        thread = new Thread(this::run, "splitheap-counters");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Copies the current values into the counters.
     */
    public void update()
    {
        for (int i = 0; i < counters.length; i++)
        {
            counters[i].setOrdered(values[i].getAsLong());
        }
    }

    /**
     * Stops updating and removes the counters.
     */
    public void close()
    {
        thread.interrupt();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietCloseAll(counters);
    }

    private void run()
    {
        try
        {
            while (!Thread.currentThread().isInterrupted())
            {
                update();
                TimeUnit.NANOSECONDS.sleep(INTERVAL_NS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            // the client closed under us: the process is leaving
        }
    }
}
