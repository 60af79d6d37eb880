package io.splitheap.agent.metrics;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints one line per interval while the program runs ({@code progress=SECONDS}):
 * <pre>
 * splitheap-progress t=10s far_bytes=1073741824 live_far_bytes=1073741824 hit_rate=0.9712 misses_per_s=120345
 *   mb_in_per_s=470.1 mb_out_per_s=12.0
 * </pre>
 * Rates are over the last interval. On a daemon thread that sleeps between lines.
 */
public final class ProgressReporter implements AutoCloseable
{
    private final AgentMetrics metrics;
    private final long intervalNs;
    private final PrintStream out;
    private final Thread thread;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;
    private long lastHits;
    private long lastMisses;
    private long lastIn;
    private long lastOut;

    /**
     * Starts reporting.
     *
     * @param metrics      what to report.
     * @param intervalSecs seconds between lines, at least 1.
     * @param out          where to print.
     */
    public ProgressReporter(final AgentMetrics metrics, final int intervalSecs, final PrintStream out)
    {
        this.metrics = metrics;
        this.intervalNs = TimeUnit.SECONDS.toNanos(intervalSecs);
        this.out = out;
        this.thread = new Thread(this::run, "splitheap-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The line for the interval that ends now (also advances the interval).
     *
     * @param nowNs current nano time.
     * @return the line.
     */
    String line(final long nowNs)
    {
        final long hits = metrics.getHits();
        final long misses = metrics.getMisses();
        final long in = metrics.getBytesIn();
        final long outBytes = metrics.getBytesOut();
        final double seconds = Math.max(1e-9, (nowNs - lastNs) / 1e9);
        final long intervalHits = hits - lastHits;
        final long intervalMisses = misses - lastMisses;
        final String line = String.format(Locale.ROOT, "splitheap-progress t=%ds far_bytes=%d live_far_bytes=%d " +
            "hit_rate=%.4f misses_per_s=%d mb_in_per_s=%.1f mb_out_per_s=%.1f",
            TimeUnit.NANOSECONDS.toSeconds(nowNs - startNs), metrics.getFarBytes(), metrics.getLiveFarBytes(),
            intervalHits + intervalMisses == 0 ? 1.0 : (double)intervalHits / (intervalHits + intervalMisses),
            (long)(intervalMisses / seconds), (in - lastIn) / seconds / 1e6, (outBytes - lastOut) / seconds / 1e6);
        lastNs = nowNs;
        lastHits = hits;
        lastMisses = misses;
        lastIn = in;
        lastOut = outBytes;
        return line;
    }

    /**
     * Stops reporting.
     */
    public void close()
    {
        thread.interrupt();
    }

    private void run()
    {
        try
        {
            while (!Thread.currentThread().isInterrupted())
            {
                TimeUnit.NANOSECONDS.sleep(intervalNs);
                out.println(line(System.nanoTime()));
                out.flush();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
