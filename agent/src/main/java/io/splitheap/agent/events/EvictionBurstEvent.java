package io.splitheap.agent.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.Timespan;

import java.util.function.LongSupplier;

/**
 * JFR event: the ExCache evicted at least {@code jfr.eviction.burst} lines (256 by default) in one period (a second
 * by default, the recording's {@code period} setting changes it), as {@code io.splitheap.EvictionBurst}: evictions,
 * write-backs of dirty lines and bytes moved in the period.
 * <p>
 * A periodic event: JFR calls the hook {@link #install} registers once per period, only while a recording has the
 * event enabled, and the hook reads the counters the statistics line reads. The hit and miss paths do nothing for it,
 * and a JVM in which JFR never starts pays nothing at all: the hook is registered only when the recorder initializes.
 */
@Name("io.splitheap.EvictionBurst")
@Label("ExCache Eviction Burst")
@Category("Splitheap")
@Description("A period in which the ExCache evicted at least jfr.eviction.burst lines")
@Period("1 s")
public final class EvictionBurstEvent extends jdk.jfr.Event
{
    @Label("Evictions")
    @Description("Lines evicted in the period")
    long evictions;

    @Label("Write-Backs")
    @Description("Dirty lines written back to memory nodes in the period")
    long writeBacks;

    @Label("Written Back")
    @DataAmount
    long bytesWrittenBack;

    @Label("Period")
    @Timespan(Timespan.NANOSECONDS)
    long periodNanos;

    /**
     * The hook JFR calls each period; {@link #close()} removes it.
     */
    public static final class Hook implements Runnable, AutoCloseable, FlightRecorderListener
    {
        private final LongSupplier evictionCount;
        private final LongSupplier writeBackCount;
        private final int lineBytes;
        private final long minEvictions;
        private long lastEvictions;
        private long lastWriteBacks;
        private long lastNs;

        private Hook(
            final LongSupplier evictionCount,
            final LongSupplier writeBackCount,
            final int lineBytes,
            final long minEvictions)
        {
            this.evictionCount = evictionCount;
            this.writeBackCount = writeBackCount;
            this.lineBytes = lineBytes;
            this.minEvictions = minEvictions;
            this.lastEvictions = evictionCount.getAsLong();
            this.lastWriteBacks = writeBackCount.getAsLong();
            this.lastNs = System.nanoTime();
        }

        /**
         * Compares the counters with the last period's and records an event if the evictions make a burst.
         */
        public synchronized void run()
        {
            final long now = System.nanoTime();
            final long evictions = evictionCount.getAsLong();
            final long writeBacks = writeBackCount.getAsLong();
            final EvictionBurstEvent event = new EvictionBurstEvent();
            if (evictions - lastEvictions >= minEvictions && event.shouldCommit())
            {
                event.evictions = evictions - lastEvictions;
                event.writeBacks = writeBacks - lastWriteBacks;
                event.bytesWrittenBack = event.writeBacks * lineBytes;
                event.periodNanos = now - lastNs;
                event.commit();
            }
            lastEvictions = evictions;
            lastWriteBacks = writeBacks;
            lastNs = now;
        }

        /**
         * Registers the periodic hook once JFR runs.
         *
         * @param recorder the recorder.
         */
        public void recorderInitialized(final FlightRecorder recorder)
        {
            FlightRecorder.addPeriodicEvent(EvictionBurstEvent.class, this);
        }

        /**
         * Stops the periodic hook.
         */
        public void close()
        {
            FlightRecorder.removeListener(this);
            FlightRecorder.removePeriodicEvent(this);
        }
    }

    /**
     * Registers the periodic hook.
     *
     * @param evictions    total evictions so far.
     * @param writeBacks   total write-backs so far.
     * @param lineBytes    ExCache line size.
     * @param minEvictions evictions in a period that make a burst.
     * @return the hook, to close when the agent stops.
     */
    public static Hook install(
        final LongSupplier evictions, final LongSupplier writeBacks, final int lineBytes, final long minEvictions)
    {
        final Hook hook = new Hook(evictions, writeBacks, lineBytes, minEvictions);
        // called at once if JFR already runs, else when a recording first starts (never, in most JVMs)
        FlightRecorder.addListener(hook);
        return hook;
    }
}
