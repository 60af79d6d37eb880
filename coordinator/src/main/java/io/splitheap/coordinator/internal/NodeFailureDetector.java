package io.splitheap.coordinator.internal;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;

/**
 * Decides when a memory or storage node is dead: a phi accrual detector per node ({@link PhiAccrualDetector}) judges
 * the silence against the node's own history of heartbeat intervals, between two bounds. A node is declared dead
 * when it has been silent longer than {@code splitheap.node.timeout} (the floor: never sooner, however regular its
 * heartbeats were) and either its phi reached {@code splitheap.node.phi.threshold} or it has been silent for
 * {@code splitheap.node.timeout.max} (the cap: always by then, however jittery its history). On a quiet host the
 * floor decides, as the fixed timeout did before; on a loaded host the history widens the margin.
 */
public final class NodeFailureDetector
{
    /**
     * Heartbeat intervals remembered per node: 1000, 200 s at the default 200 ms interval.
     */
    public static final int WINDOW = PhiAccrualDetector.MAX_WINDOW;

    private final Int2ObjectHashMap<PhiAccrualDetector> detectors = new Int2ObjectHashMap<>();
    private final Long2LongHashMap graceUntilNs = new Long2LongHashMap(Long.MIN_VALUE);
    private final long heartbeatIntervalNs;
    private final long minSilenceNs;
    private final long maxSilenceNs;
    private final double threshold;

    /**
     * A detector.
     *
     * @param heartbeatIntervalNs interval nodes are told to heartbeat at (the first estimate; half of it is the
     *                            least standard deviation assumed).
     * @param minSilenceNs        silence before which a node is never declared dead.
     * @param maxSilenceNs        silence after which a node is always declared dead.
     * @param threshold           phi at which a node silent longer than the floor is declared dead.
     */
    public NodeFailureDetector(
        final long heartbeatIntervalNs, final long minSilenceNs, final long maxSilenceNs, final double threshold)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        this.minSilenceNs = minSilenceNs;
        this.maxSilenceNs = maxSilenceNs;
        this.threshold = threshold;
    }

    /**
     * A node registered (or registered again): its history starts afresh.
     *
     * @param nodeId node.
     * @param nowNs  time.
     */
    public void registered(final int nodeId, final long nowNs)
    {
        detectors.put(nodeId, new PhiAccrualDetector(WINDOW, heartbeatIntervalNs, heartbeatIntervalNs / 2, nowNs));
    }

    /**
     * A node restored from the coordinator's persisted state: it is not judged before {@code graceNs} from now, the
     * time it takes a member to notice the restarted coordinator and handshake again, nor before its first heartbeat
     * after that.
     *
     * @param nodeId  the node.
     * @param nowNs   current nano time.
     * @param graceNs how long it is not judged.
     */
    public void restored(final int nodeId, final long nowNs, final long graceNs)
    {
        registered(nodeId, nowNs);
        graceUntilNs.put(nodeId, nowNs + graceNs);
    }

    /**
     * A heartbeat from a node.
     *
     * @param nodeId node.
     * @param nowNs  arrival time.
     */
    public void heartbeat(final int nodeId, final long nowNs)
    {
        final PhiAccrualDetector detector = detectors.get(nodeId);
        if (detector == null || graceUntilNs.remove(nodeId) != Long.MIN_VALUE)
        {
            // the first heartbeat after a restore starts the history afresh: the restart's gap is not the node's
            registered(nodeId, nowNs);
        }
        else
        {
            detector.heartbeat(nowNs);
        }
    }

    /**
     * The node's suspicion level.
     *
     * @param nodeId node.
     * @param nowNs  time.
     * @return phi, 0 for a node never heard of.
     */
    public double phi(final int nodeId, final long nowNs)
    {
        final PhiAccrualDetector detector = detectors.get(nodeId);
        return detector == null ? 0 : detector.phi(nowNs);
    }

    /**
     * Whether a heartbeat arriving now is late: its phi reached half the threshold (logged, rate-limited, at INFO).
     *
     * @param nodeId node.
     * @param nowNs  arrival time, before {@link #heartbeat(int, long)} records it.
     * @return true if late.
     */
    public boolean isLate(final int nodeId, final long nowNs)
    {
        // a node restored after a coordinator restart is not late: its silence was the restart
        return !graceUntilNs.containsKey(nodeId) && phi(nodeId, nowNs) >= threshold / 2;
    }

    /**
     * Whether the node is dead by now.
     *
     * @param nodeId node.
     * @param nowNs  time.
     * @return true if its silence passed the floor and its phi the threshold, or its silence the cap.
     */
    public boolean isDead(final int nodeId, final long nowNs)
    {
        final PhiAccrualDetector detector = detectors.get(nodeId);
        final long graceUntil = graceUntilNs.get(nodeId);
        if (detector == null || (graceUntil != Long.MIN_VALUE && nowNs - graceUntil < 0))
        {
            return false;
        }
        final long silence = nowNs - detector.lastHeartbeatNs();
        return silence > minSilenceNs && (silence >= maxSilenceNs || detector.phi(nowNs) >= threshold);
    }

    /**
     * What the detector knows of a node, for log lines: phi, mean and standard deviation of its intervals.
     *
     * @param nodeId node.
     * @param nowNs  time.
     * @return text.
     */
    public String describe(final int nodeId, final long nowNs)
    {
        final PhiAccrualDetector detector = detectors.get(nodeId);
        if (detector == null)
        {
            return "no history";
        }
        return String.format(java.util.Locale.ROOT, "phi=%.1f threshold=%.1f mean=%.0fms stddev=%.0fms",
            detector.phi(nowNs), threshold, detector.meanNs() / 1e6, detector.stdDevNs() / 1e6);
    }
}
