package io.splitheap.coordinator.internal;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * An agent-attached JVM registered with the coordinator: its id, secret, liveness and vRegions.
 */
public final class ProcessRecord
{
    private final int pid;
    private final long secret;
    private final long hostPid;
    private final String hostName;
    private final Long2ObjectHashMap<RegionRecord> regions = new Long2ObjectHashMap<>();
    private long nextVRegion = 1;
    private long lastHeartbeatNs;
    private io.splitheap.protocol.transport.Session session;

    /**
     * A process.
     *
     * @param pid      cluster-wide id.
     * @param secret   its capability.
     * @param hostPid  OS process id on its host.
     * @param hostName its host.
     * @param nowNs    registration time.
     */
    public ProcessRecord(final int pid, final long secret, final long hostPid, final String hostName, final long nowNs)
    {
        this.pid = pid;
        this.secret = secret;
        this.hostPid = hostPid;
        this.hostName = hostName;
        this.lastHeartbeatNs = nowNs;
    }

    /**
     * Cluster-wide id.
     *
     * @return pid.
     */
    public int pid()
    {
        return pid;
    }

    /**
     * Capability.
     *
     * @return secret.
     */
    public long secret()
    {
        return secret;
    }

    /**
     * OS process id.
     *
     * @return pid on its host.
     */
    public long hostPid()
    {
        return hostPid;
    }

    /**
     * Host.
     *
     * @return host name.
     */
    public String hostName()
    {
        return hostName;
    }

    /**
     * A region by index.
     *
     * @param vRegion index.
     * @return record or null.
     */
    public RegionRecord region(final long vRegion)
    {
        return regions.get(vRegion);
    }

    /**
     * Every region.
     *
     * @return a copy.
     */
    public List<RegionRecord> regions()
    {
        return new ArrayList<>(regions.values());
    }

    /**
     * Reserves consecutive unused vRegion indexes.
     *
     * @param count how many.
     * @return the first index.
     */
    public long reserveVRegions(final long count)
    {
        final long first = nextVRegion;
        nextVRegion += count;
        return first;
    }

    /**
     * The first vRegion not reserved yet.
     *
     * @return the vRegion index.
     */
    public long nextVRegion()
    {
        return nextVRegion;
    }

    /**
     * Restores the first vRegion not reserved yet (persisted state).
     *
     * @param nextVRegion the vRegion.
     */
    public void nextVRegion(final long nextVRegion)
    {
        this.nextVRegion = nextVRegion;
    }

    /**
     * Adds or replaces a vRegion.
     *
     * @param region the vRegion.
     */
    public void addRegion(final RegionRecord region)
    {
        regions.put(region.vRegion(), region);
    }

    /**
     * The session the process registered on: where routing updates go.
     *
     * @return the session or null.
     */
    public io.splitheap.protocol.transport.Session session()
    {
        return session;
    }

    /**
     * Sets the session the process registered on.
     *
     * @param session the session.
     */
    public void session(final io.splitheap.protocol.transport.Session session)
    {
        this.session = session;
    }

    /**
     * Records a heartbeat.
     *
     * @param nowNs time.
     */
    public void heartbeat(final long nowNs)
    {
        lastHeartbeatNs = nowNs;
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
}
