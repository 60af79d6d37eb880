package io.splitheap.memorynode.internal;

import io.splitheap.protocol.Capabilities;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.membership.NodeMembership;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the request handlers of one memory node share: pages, metadata, process spaces, membership and
 * counters. Owned by the node's single request thread.
 */
public final class NodeState
{
    private final NodeMetadata metadata;
    private final Int2ObjectHashMap<ProcessSpace> spaces = new Int2ObjectHashMap<>();
    private final Long2LongHashMap verifiedSecrets = new Long2LongHashMap(0);
    private final int maxLineBytes;
    private NodeMembership membership;
    private PageStore store;
    private final List<long[]> pendingDiscards = new ArrayList<>();
    private long reads;
    private long writes;

    /**
     * Node state over its metadata, loading the metadata; the page store comes once the node is registered.
     *
     * @param metadata     persisted metadata.
     * @param maxLineBytes largest line a request may read or write.
     */
    public NodeState(final NodeMetadata metadata, final int maxLineBytes)
    {
        this.metadata = metadata;
        this.maxLineBytes = maxLineBytes;
        metadata.load(spaces);
    }

    /**
     * Sets the membership once it exists.
     *
     * @param membership the node's membership.
     */
    public void membership(final NodeMembership membership)
    {
        this.membership = membership;
    }

    /**
     * The node id, 0 before registration.
     *
     * @return id.
     */
    public int nodeId()
    {
        return membership == null ? metadata.nodeId() : membership.nodeId();
    }

    /**
     * log2 of the vRegion size, as the coordinator said at registration.
     *
     * @return shift, or the smallest allowed before registration.
     */
    public int vRegionShift()
    {
        final int shift = membership == null ? 0 : membership.vRegionShift();
        return shift == 0 ? io.splitheap.protocol.FarAddress.MIN_VREGION_SHIFT : shift;
    }

    /**
     * Capabilities, null before registration.
     *
     * @return capabilities.
     */
    public Capabilities capabilities()
    {
        return membership == null ? null : membership.capabilities();
    }

    /**
     * Whether a secret is the process's.
     *
     * @param pid    process.
     * @param secret claimed secret.
     * @return true if it matches (results are cached per pid).
     */
    public boolean isValidSecret(final int pid, final long secret)
    {
        final long known = verifiedSecrets.get(pid);
        if (known != 0)
        {
            return known == secret;
        }
        final Capabilities capabilities = capabilities();
        if (capabilities == null)
        {
            return false;
        }
        final long expected = capabilities.processSecret(pid);
        verifiedSecrets.put(pid, expected);
        return expected == secret;
    }

    /**
     * Forgets cached secrets (the cluster key changed on re-registration).
     */
    public void clearSecrets()
    {
        verifiedSecrets.clear();
    }

    /**
     * A process's space.
     *
     * @param pid process.
     * @return the space or null.
     */
    public ProcessSpace space(final int pid)
    {
        return spaces.get(pid);
    }

    /**
     * A process's space, created if absent.
     *
     * @param pid process.
     * @return the space.
     */
    public ProcessSpace getOrCreateSpace(final int pid)
    {
        ProcessSpace space = spaces.get(pid);
        if (space == null)
        {
            space = new ProcessSpace(pid);
            spaces.put(pid, space);
        }
        return space;
    }

    /**
     * Drops everything a process holds here: its space, and its pages from the store.
     *
     * @param pid process.
     * @return true if it held anything.
     */
    public boolean releaseProcess(final int pid)
    {
        final boolean released = discard(spaces.remove(pid));
        if (released)
        {
            saveMetadata();
        }
        return released;
    }

    /**
     * Drops every process (their ids belong to a cluster that is gone).
     *
     * @return processes dropped.
     */
    public int releaseAllProcesses()
    {
        final List<ProcessSpace> all = new ArrayList<>(spaces.values());
        spaces.clear();
        all.forEach(this::discard);
        saveMetadata();
        return all.size();
    }

    private boolean discard(final ProcessSpace space)
    {
        if (space == null)
        {
            return false;
        }
        for (final long[] vma : space.vmas())
        {
            final long fromPage = FarAddress.pageNumber(vma[0]);
            final long toPage = FarAddress.pageNumber(vma[1]);
            if (store != null)
            {
                store.discard(space.pid(), fromPage, toPage);
            }
            else
            {
                // the store opens once the node is registered, before any request is served: its pages go then
                pendingDiscards.add(new long[]{space.pid(), fromPage, toPage});
            }
        }
        return true;
    }

    /**
     * Persists metadata after a change.
     */
    public void saveMetadata()
    {
        metadata.nodeId(nodeId());
        if (membership != null && membership.incarnation() != 0)
        {
            metadata.incarnation(membership.incarnation());
        }
        metadata.save(spaces);
    }

    /**
     * The page store.
     *
     * @return store, null until the node is registered and the store open (no request is served before).
     */
    public PageStore store()
    {
        return store;
    }

    /**
     * Sets the page store once it is open.
     *
     * @param store the open store.
     */
    public void store(final PageStore store)
    {
        this.store = store;
        for (final long[] discard : pendingDiscards)
        {
            store.discard((int)discard[0], discard[1], discard[2]);
        }
        pendingDiscards.clear();
    }

    /**
     * Largest line a request may read or write.
     *
     * @return bytes.
     */
    public int maxLineBytes()
    {
        return maxLineBytes;
    }

    /**
     * Persisted metadata.
     *
     * @return metadata.
     */
    public NodeMetadata metadata()
    {
        return metadata;
    }

    /**
     * Counts a line read.
     */
    public void countRead()
    {
        reads++;
    }

    /**
     * Counts a line written.
     */
    public void countWrite()
    {
        writes++;
    }

    /**
     * Lines read.
     *
     * @return count.
     */
    public long reads()
    {
        return reads;
    }

    /**
     * Lines written.
     *
     * @return count.
     */
    public long writes()
    {
        return writes;
    }

    /**
     * Bytes mapped for every process.
     *
     * @return total.
     */
    public long mappedBytes()
    {
        long total = 0;
        for (final ProcessSpace space : spaces.values())
        {
            total += space.mappedBytes();
        }
        return total;
    }
}
