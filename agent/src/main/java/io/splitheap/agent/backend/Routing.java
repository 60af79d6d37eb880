package io.splitheap.agent.backend;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;

import java.util.Arrays;

/**
 * Where each vRegion of this process lives: its primary memory node, its secondary (which every write-back goes to as
 * well) and its routing epoch. Copy-on-write arrays indexed by vRegion and node id, so a miss reads them without
 * locking.
 */
final class Routing
{
    /**
     * A vRegion's route.
     *
     * @param nodeId               primary memory node.
     * @param epoch                routing epoch the nodes expect in requests.
     * @param endpoint             the primary's endpoint.
     * @param secondaryNodeId      the node that keeps a copy of every write-back, 0 if none.
     * @param secondaryEndpoint    its endpoint, null if none.
     * @param incarnation          the primary's process incarnation (a new one: it restarted), 0 if unknown.
     * @param secondaryIncarnation the secondary's, 0 if none or unknown.
     */
    record Route(
        int nodeId, long epoch, Endpoint endpoint, int secondaryNodeId, Endpoint secondaryEndpoint, long incarnation,
        long secondaryIncarnation)
    {
        /**
         * A route from what the coordinator sent.
         *
         * @param nodeId               primary.
         * @param epoch                epoch.
         * @param endpoint             primary's endpoint.
         * @param secondaryNodeId      secondary, 0 if none.
         * @param secondaryEndpoint    its endpoint, empty if none.
         * @param incarnation          the primary's incarnation, 0 if unknown.
         * @param secondaryIncarnation the secondary's, 0 if none or unknown.
         * @return the route.
         */
        static Route of(
            final int nodeId, final long epoch, final String endpoint, final int secondaryNodeId,
            final String secondaryEndpoint, final long incarnation, final long secondaryIncarnation)
        {
            final boolean replicated = secondaryNodeId != 0 && !secondaryEndpoint.isEmpty();
            return new Route(nodeId, epoch, Endpoint.parse(endpoint), replicated ? secondaryNodeId : 0,
                replicated ? Endpoint.parse(secondaryEndpoint) : null, incarnation,
                replicated ? secondaryIncarnation : 0);
        }

        /**
         * This route with the incarnations the coordinator did not know (0: it restarted and the node has not
         * registered with it again yet) taken from the route it replaces, when that names the same node there.
         *
         * @param previous the route it replaces, or null.
         * @return the route to keep.
         */
        Route withKnownIncarnations(final Route previous)
        {
            if (previous == null)
            {
                return this;
            }
            final long primary = incarnation == 0 && previous.nodeId == nodeId && previous.endpoint.equals(endpoint) ?
                previous.incarnation : incarnation;
            final long secondary = secondaryIncarnation == 0 && secondaryNodeId != 0 &&
                previous.secondaryNodeId == secondaryNodeId && previous.secondaryEndpoint.equals(secondaryEndpoint) ?
                previous.secondaryIncarnation : secondaryIncarnation;
            return primary == incarnation && secondary == secondaryIncarnation ? this :
                new Route(nodeId, epoch, endpoint, secondaryNodeId, secondaryEndpoint, primary, secondary);
        }

        /**
         * The node this route names that restarted at the same endpoint since {@code previous} (its incarnation
         * changed from one known value to another), or 0.
         *
         * @param previous the route this one replaces, or null.
         * @param primary  true to look at the primary, false at the secondary.
         * @return the node id, or 0.
         */
        int restartedSince(final Route previous, final boolean primary)
        {
            if (previous == null)
            {
                return 0;
            }
            final int node = primary ? nodeId : secondaryNodeId;
            final long now = primary ? incarnation : secondaryIncarnation;
            final long before = previous.nodeId == node ? previous.incarnation :
                previous.secondaryNodeId == node ? previous.secondaryIncarnation : 0;
            return node != 0 && now != 0 && before != 0 && now != before ? node : 0;
        }

        /**
         * Whether write-backs go to a secondary too.
         *
         * @return true if the vRegion has one.
         */
        boolean replicated()
        {
            return secondaryNodeId != 0;
        }
    }

    private final int vRegionShift;
    private volatile Route[] routes = new Route[64];
    private volatile long moves;

    Routing(final int vRegionShift)
    {
        this.vRegionShift = vRegionShift;
    }

    Route route(final long address)
    {
        return routeOf(FarAddress.vRegion(address, vRegionShift));
    }

    Route routeOf(final long vRegion)
    {
        final Route[] routes = this.routes;
        return vRegion < routes.length ? routes[(int)vRegion] : null;
    }

    synchronized void put(final long vRegion, final Route route)
    {
        Route[] routes = this.routes;
        if (vRegion < routes.length && routes[(int)vRegion] != null && routes[(int)vRegion].epoch() > route.epoch())
        {
            // a vRegion's epoch only grows: an allocation reply read after a newer routing push must not undo it
            return;
        }
        if (vRegion >= routes.length)
        {
            routes = Arrays.copyOf(routes, (int)Math.max(vRegion + 1, routes.length * 2L));
        }
        else
        {
            routes = routes.clone();
        }
        final Route previous = routes[(int)vRegion];
        routes[(int)vRegion] = route.withKnownIncarnations(previous);
        this.routes = routes;
        if (previous != null && !previous.equals(routes[(int)vRegion]))
        {
            moves++;
        }
    }

    /**
     * How many times a vRegion's route changed (a failover, a node that came back on another endpoint or restarted on
     * its own); new vRegions do not count. Whoever deferred a request to an unavailable node sends it again when this
     * changes.
     *
     * @return count.
     */
    long moves()
    {
        return moves;
    }

    int vRegionShift()
    {
        return vRegionShift;
    }
}
