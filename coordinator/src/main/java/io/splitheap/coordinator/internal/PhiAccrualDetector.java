package io.splitheap.coordinator.internal;

/**
 * A phi accrual failure detector for one member (Hayashibara et al., "The phi accrual failure detector", SRDS 2004):
 * keeps the last {@code window} intervals between heartbeats and turns the silence since the last one into a
 * suspicion level {@code phi = -log10(P(an interval at least this long))}, with the intervals taken as normally
 * distributed. phi 1 means a 10% chance that the member is merely slow, phi 8 one in 10^8. A member whose heartbeats
 * come like clockwork is suspected soon after it stops; one on a loaded host, whose heartbeats jitter, gets a wider
 * margin from the same threshold, because its history shows that long gaps happen.
 * <p>
 * The normal tail uses the logistic approximation Akka's detector uses (error below 0.02%); the standard deviation
 * has a floor so that perfectly regular heartbeats do not make any tiny delay suspicious. Time is passed in, never
 * read here, so tests drive it with a clock of their own. Single-threaded, allocation-free after construction.
 */
public final class PhiAccrualDetector
{
    /**
     * Most intervals a detector remembers.
     */
    public static final int MAX_WINDOW = 1000;

    // intervals are kept in microseconds, as longs, so the running sums stay exact however long the member lives;
    // clamped to 60 s, the squares of a full window fit a long
    private static final long MAX_INTERVAL_US = 60_000_000L;

    private final long[] intervalsUs;
    private final double minStdDevNs;
    private int count;
    private int next;
    private long sumUs;
    private long sumOfSquaresUs;
    private long lastHeartbeatNs;

    /**
     * A detector that has just heard from its member.
     *
     * @param window             intervals remembered (the oldest is forgotten first), 2 to {@link #MAX_WINDOW}.
     * @param expectedIntervalNs the interval the member was told to heartbeat at: the history starts with it.
     * @param minStdDevNs        least standard deviation assumed.
     * @param nowNs              time of the first contact (registration).
     */
    public PhiAccrualDetector(
        final int window, final long expectedIntervalNs, final long minStdDevNs, final long nowNs)
    {
        if (window < 2 || window > MAX_WINDOW || expectedIntervalNs <= 0 || minStdDevNs <= 0)
        {
            throw new IllegalArgumentException("window=" + window + " expectedIntervalNs=" + expectedIntervalNs +
                " minStdDevNs=" + minStdDevNs + ": all must be positive, window from 2 to " + MAX_WINDOW);
        }
        this.intervalsUs = new long[window];
        this.minStdDevNs = minStdDevNs;
        this.lastHeartbeatNs = nowNs;
        // as Akka does: a first estimate, so that a member is judged before it has a history of its own
        add(expectedIntervalNs);
        add(expectedIntervalNs);
    }

    /**
     * Records a heartbeat.
     *
     * @param nowNs its arrival time.
     */
    public void heartbeat(final long nowNs)
    {
        add(Math.max(0, nowNs - lastHeartbeatNs));
        lastHeartbeatNs = nowNs;
    }

    /**
     * The suspicion level now.
     *
     * @param nowNs current time.
     * @return phi, 0 when heard from just now, growing without bound (up to infinity) with silence.
     */
    public double phi(final long nowNs)
    {
        final double elapsed = nowNs - lastHeartbeatNs;
        final double mean = meanNs();
        final double y = (elapsed - mean) / stdDevNs();
        final double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        return elapsed > mean ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
    }

    /**
     * Time of the last heartbeat.
     *
     * @return nano time.
     */
    public long lastHeartbeatNs()
    {
        return lastHeartbeatNs;
    }

    /**
     * Mean interval in the window.
     *
     * @return nanoseconds.
     */
    public double meanNs()
    {
        return 1000.0 * sumUs / count;
    }

    /**
     * Standard deviation of the intervals in the window, at least the floor.
     *
     * @return nanoseconds.
     */
    public double stdDevNs()
    {
        final double meanUs = (double)sumUs / count;
        final double varianceUs = Math.max(0.0, (double)sumOfSquaresUs / count - meanUs * meanUs);
        return Math.max(minStdDevNs, 1000.0 * Math.sqrt(varianceUs));
    }

    private void add(final long intervalNs)
    {
        final long intervalUs = Math.min(MAX_INTERVAL_US, intervalNs / 1000);
        if (count == intervalsUs.length)
        {
            final long oldest = intervalsUs[next];
            sumUs -= oldest;
            sumOfSquaresUs -= oldest * oldest;
        }
        else
        {
            count++;
        }
        intervalsUs[next] = intervalUs;
        next = (next + 1) % intervalsUs.length;
        sumUs += intervalUs;
        sumOfSquaresUs += intervalUs * intervalUs;
    }
}
