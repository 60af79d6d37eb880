package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.ErrorHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * What the coordinator does when it declares a memory node dead: every vRegion the node held as primary is handed to
 * its secondary (which holds every acknowledged write-back, because agents write back to both) if that one holds a
 * full copy ({@link SecondaryState#SYNCED}), under the next epoch; every vRegion it held as secondary goes on without
 * one (a copy to it under way ends); {@link Replication} gives both a new secondary later. The surviving node is told
 * its role first, and only once it has acknowledged are the processes told the new routes, so that no request
 * reaches a node that does not yet serve it ({@link Promotions}: a survivor that does not acknowledge is asked again,
 * then its vRegions are declared lost). A vRegion whose secondary is gone too, was still being filled, or that never
 * had one is lost: its routes are left as they are, and the process's requests fail with a {@code FarMemoryError}
 * that names the address and the node.
 * <p>
 * What the dead node loses is remembered for it ({@link ClusterRegistry#reassign}), so that it is told to forget it
 * if it comes back ({@link MembershipRequests}).
 */
public final class Failover
{
    private final ClusterRegistry registry;
    private final Promotions promotions;
    private final ErrorHandler errorHandler;
    private long promoted;
    private long orphaned;
    private long lost;

    /**
     * Failover over a cluster's records.
     *
     * @param registry     the cluster.
     * @param commands     control requests to nodes.
     * @param pending      where those requests are tracked.
     * @param routing      routing pushes to processes.
     * @param errorHandler receives what happened, as warnings.
     */
    public Failover(
        final ClusterRegistry registry,
        final NodeCommands commands,
        final PendingOperations pending,
        final RoutingPublisher routing,
        final ErrorHandler errorHandler)
    {
        this.registry = registry;
        this.promotions = new Promotions(registry,
            (operation, node, pid, region) -> commands.assignRegion(operation, node, pid, region, RegionRole.PRIMARY),
            pending, routing::regionsChanged, errorHandler);
        this.errorHandler = errorHandler;
    }

    /**
     * Re-points every vRegion of every process away from a node just declared dead.
     *
     * @param dead  the node.
     * @param nowNs time.
     * @return vRegions changed (promoted or left without a secondary).
     */
    public int nodeDied(final MemberNode dead, final long nowNs)
    {
        int changed = 0;
        for (final ProcessRecord process : registry.processes())
        {
            final List<RegionRecord> updated = new ArrayList<>();
            for (final RegionRecord region : process.regions())
            {
                final RegionRecord next = next(process, region, dead);
                if (next != null)
                {
                    updated.add(next);
                }
            }
            if (updated.isEmpty())
            {
                continue;
            }
            promotions.start(process, updated, nowNs);
            changed += updated.size();
        }
        return changed;
    }

    /**
     * Asks again the survivors that did not acknowledge their new roles, once their delay passed.
     *
     * @param nowNs time.
     * @return handovers sent again.
     */
    public int retryPromotions(final long nowNs)
    {
        return promotions.retryDue(nowNs);
    }

    /**
     * vRegions handed to their secondary so far.
     *
     * @return count.
     */
    public long promoted()
    {
        return promoted;
    }

    /**
     * vRegions left without a secondary so far.
     *
     * @return count.
     */
    public long orphaned()
    {
        return orphaned;
    }

    /**
     * vRegions lost so far (no live copy left).
     *
     * @return count.
     */
    public long lost()
    {
        return lost + promotions.lost();
    }

    private RegionRecord next(final ProcessRecord process, final RegionRecord region, final MemberNode dead)
    {
        if (region.primaryNodeId() == dead.id())
        {
            final MemberNode secondary = region.secondaryNodeId() == 0 ? null : registry.node(region.secondaryNodeId());
            if (secondary == null || !secondary.isAlive() || region.secondaryState() != SecondaryState.SYNCED)
            {
                lost++;
                errorHandler.onError(new SplitheapException("vRegion=" + region.vRegion() + " of pid=" +
                    process.pid() + " is lost: its primary node=" + dead.id() + " died and it has no live " +
                    "secondary with a full copy" + (secondary != null && secondary.isAlive() ? " (node=" +
                    secondary.id() + " was still being filled: " + region.secondaryState() + ")" : "") +
                    "; accesses to it fail unless the node comes back with its data directory",
                    SplitheapException.Category.WARN, null));
                return null;
            }
            promoted++;
            errorHandler.onError(new SplitheapException("vRegion=" + region.vRegion() + " of pid=" + process.pid() +
                " fails over from node=" + dead.id() + " to its secondary node=" + secondary.id() + " at epoch=" +
                (region.epoch() + 1), SplitheapException.Category.WARN, null));
            return registry.reassign(process, region, secondary.id(), 0, region.epoch() + 1, SecondaryState.NONE);
        }
        if (region.secondaryNodeId() == dead.id())
        {
            final MemberNode primary = registry.node(region.primaryNodeId());
            if (primary == null || !primary.isAlive())
            {
                return null;
            }
            orphaned++;
            return registry.reassign(process, region, primary.id(), 0, region.epoch(), SecondaryState.NONE);
        }
        return null;
    }
}
