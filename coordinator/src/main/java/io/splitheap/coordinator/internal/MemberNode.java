package io.splitheap.coordinator.internal;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.transport.ServerLink;

import java.util.ArrayList;
import java.util.List;

/**
 * A registered memory or storage node as the coordinator sees it.
 */
public final class MemberNode
{
    private final int id;
    private final NodeKind kind;
    private Endpoint endpoint;
    private long capacityBytes;
    private long mappedBytes;
    private long primaryBytes;
    private long usedPages;
    private long peakPages;
    private long lastHeartbeatNs;
    private long authFailures;
    private long malformedMessages;
    private long requests;
    private long requestsAtNs;
    private long requestsPerSecond;
    private boolean alive = true;
    private ServerLink link;
    private final List<Revocation> revocations = new ArrayList<>();
    private List<Revocation> revoking = List.of();
    private boolean mustReassert;
    private long incarnation;

    /**
     * What a node that was declared dead must forget when it comes back: a vRegion of a process that was taken from
     * it meanwhile (up to an epoch), or all of a process that left meanwhile.
     *
     * @param pid     the process.
     * @param vRegion the vRegion, or {@link #WHOLE_PROCESS}.
     * @param epoch   the newest epoch of the vRegion it may hold.
     */
    public record Revocation(int pid, long vRegion, long epoch)
    {
        /**
         * The vRegion of a revocation of all of a process.
         */
        public static final long WHOLE_PROCESS = -1;
    }

    /**
     * A node.
     *
     * @param id            node id.
     * @param kind          memory or storage.
     * @param endpoint      where it receives requests.
     * @param capacityBytes capacity it offers.
     * @param nowNs         registration time.
     */
    public MemberNode(
        final int id, final NodeKind kind, final Endpoint endpoint, final long capacityBytes, final long nowNs)
    {
        this.id = id;
        this.kind = kind;
        this.endpoint = endpoint;
        this.capacityBytes = capacityBytes;
        this.lastHeartbeatNs = nowNs;
    }

    /**
     * Node id.
     *
     * @return id.
     */
    public int id()
    {
        return id;
    }

    /**
     * Node kind.
     *
     * @return kind.
     */
    public NodeKind kind()
    {
        return kind;
    }

    /**
     * Request endpoint.
     *
     * @return host:port.
     */
    public Endpoint endpoint()
    {
        return endpoint;
    }

    /**
     * The incarnation the node's process registered with (random per process start); 0 until it registered with this
     * coordinator process, which does not keep it across its own restarts.
     *
     * @return the incarnation, or 0.
     */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * Records the incarnation the node registered with.
     *
     * @param incarnation its value.
     */
    public void incarnation(final long incarnation)
    {
        this.incarnation = incarnation;
    }

    /**
     * Re-registration at a possibly new endpoint.
     *
     * @param endpoint      new endpoint.
     * @param capacityBytes capacity offered now.
     * @param nowNs         time.
     */
    public void reRegistered(final Endpoint endpoint, final long capacityBytes, final long nowNs)
    {
        this.endpoint = endpoint;
        this.capacityBytes = capacityBytes;
        this.lastHeartbeatNs = nowNs;
        this.alive = true;
    }

    /**
     * Capacity in bytes.
     *
     * @return bytes.
     */
    public long capacityBytes()
    {
        return capacityBytes;
    }

    /**
     * Bytes of vmas placed on the node, as primary or as secondary: what it may have to store.
     *
     * @return bytes.
     */
    public long mappedBytes()
    {
        return mappedBytes;
    }

    /**
     * The part of {@link #mappedBytes()} the node holds as primary (and serves reads for).
     *
     * @return bytes.
     */
    public long primaryBytes()
    {
        return primaryBytes;
    }

    /**
     * Capacity not yet promised to vmas.
     *
     * @return bytes.
     */
    public long freeBytes()
    {
        return capacityBytes - mappedBytes;
    }

    /**
     * Adds to (or, negative, subtracts from) the mapped bytes.
     *
     * @param delta   bytes.
     * @param primary whether the node holds them as primary (else as secondary).
     */
    public void addMapped(final long delta, final boolean primary)
    {
        mappedBytes = Math.max(0, mappedBytes + delta);
        if (primary)
        {
            primaryBytes = Math.max(0, primaryBytes + delta);
        }
    }

    /**
     * Pages stored, from the last heartbeat.
     *
     * @return pages.
     */
    public long usedPages()
    {
        return usedPages;
    }

    /**
     * Most pages stored at once, from the last heartbeat.
     *
     * @return pages.
     */
    public long peakPages()
    {
        return peakPages;
    }

    /**
     * Records a heartbeat.
     *
     * @param usedPages pages stored.
     * @param peakPages peak pages.
     * @param nowNs     time.
     */
    /**
     * Security counters the node reported in its last heartbeat.
     *
     * @param authFailures      refused handshakes and forged or replayed messages.
     * @param malformedMessages messages that failed validation.
     */
    public void securityCounters(final long authFailures, final long malformedMessages)
    {
        this.authFailures = authFailures;
        this.malformedMessages = malformedMessages;
    }

    /**
     * Data requests the node reported having served in all; the rate between two reports follows.
     *
     * @param total total requests served.
     * @param nowNs time of the report.
     */
    public void requestsServed(final long total, final long nowNs)
    {
        if (requestsAtNs != 0 && nowNs > requestsAtNs && total >= requests)
        {
            requestsPerSecond = (total - requests) * 1_000_000_000L / (nowNs - requestsAtNs);
        }
        requests = total;
        requestsAtNs = nowNs;
    }

    /**
     * Data requests per second between the node's last two heartbeats.
     *
     * @return rate.
     */
    public long requestsPerSecond()
    {
        return requestsPerSecond;
    }

    /**
     * Refused handshakes and forged or replayed messages the node reported.
     *
     * @return count.
     */
    public long authFailures()
    {
        return authFailures;
    }

    /**
     * Malformed messages the node reported.
     *
     * @return count.
     */
    public long malformedMessages()
    {
        return malformedMessages;
    }

    public void heartbeat(final long usedPages, final long peakPages, final long nowNs)
    {
        this.usedPages = usedPages;
        this.peakPages = peakPages;
        this.lastHeartbeatNs = nowNs;
    }

    /**
     * Time of the last heartbeat or registration.
     *
     * @return nano time.
     */
    public long lastHeartbeatNs()
    {
        return lastHeartbeatNs;
    }

    /**
     * Whether the node is considered alive.
     *
     * @return true if alive.
     */
    public boolean isAlive()
    {
        return alive;
    }

    /**
     * Marks the node alive or dead.
     *
     * @param alive liveness.
     */
    public void alive(final boolean alive)
    {
        this.alive = alive;
    }

    /**
     * The coordinator's link to the node's requests (memory nodes only).
     *
     * @return the link or null.
     */
    public ServerLink link()
    {
        return link;
    }

    /**
     * Sets the link.
     *
     * @param link the link.
     */
    public void link(final ServerLink link)
    {
        this.link = link;
    }

    /**
     * Whether vRegions may be placed here: an alive memory node whose link is ready and that has been told what it
     * no longer holds (if it came back after it was declared dead).
     *
     * @return true if placeable.
     */
    public boolean isPlaceable()
    {
        return kind == NodeKind.MEMORY && alive && link != null && link.isReady() && !mustForget();
    }

    /**
     * Whether the node came back after it was declared dead and has not yet acknowledged forgetting what was taken
     * from it meanwhile.
     *
     * @return true until then.
     */
    public boolean mustForget()
    {
        return !revocations.isEmpty() || !revoking.isEmpty();
    }

    /**
     * Remembers, while the node is dead, something it must forget when it comes back.
     *
     * @param revocation what.
     */
    public void revoke(final Revocation revocation)
    {
        revocations.add(revocation);
    }

    /**
     * Takes what the node must forget, to tell it; it is not placeable until {@link #revoked()}.
     *
     * @return the revocations, now cleared.
     */
    public List<Revocation> takeRevocations()
    {
        final List<Revocation> taken = new ArrayList<>(revocations);
        revocations.clear();
        revoking = List.copyOf(taken);
        return taken;
    }

    /**
     * Revocations not told yet or not acknowledged yet: what a restarted coordinator must tell the node again.
     *
     * @return the revocations.
     */
    public List<Revocation> unacknowledgedRevocations()
    {
        final List<Revocation> all = new ArrayList<>(revoking);
        all.addAll(revocations);
        return all;
    }

    /**
     * Revocations not told yet.
     *
     * @return count.
     */
    public int pendingRevocations()
    {
        return revocations.size();
    }

    /**
     * Whether the node must be told its roles again (a coordinator restarted from persisted state cannot know
     * which of the assignments it had sent were delivered).
     *
     * @return true until it was told.
     */
    public boolean mustReassert()
    {
        return mustReassert;
    }

    /**
     * Sets whether the node must be told its roles again.
     *
     * @param mustReassert true to tell it once its link is up.
     */
    public void mustReassert(final boolean mustReassert)
    {
        this.mustReassert = mustReassert;
    }

    /**
     * The node acknowledged the revocations it was told (or they are given up: it died again).
     */
    public void revoked()
    {
        revoking = List.of();
    }
}
