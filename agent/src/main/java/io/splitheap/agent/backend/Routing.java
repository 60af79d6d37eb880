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
     * @param nodeId            primary memory node.
     * @param epoch             routing epoch the nodes expect in requests.
     * @param endpoint          the primary's endpoint.
     * @param secondaryNodeId   the node that keeps a copy of every write-back, 0 if none.
     * @param secondaryEndpoint its endpoint, null if none.
     */
    record Route(int nodeId, long epoch, Endpoint endpoint, int secondaryNodeId, Endpoint secondaryEndpoint)
    {
        /**
         * A route from what the coordinator sent.
         *
         * @param nodeId            primary.
         * @param epoch             epoch.
         * @param endpoint          primary's endpoint.
         * @param secondaryNodeId   secondary, 0 if none.
         * @param secondaryEndpoint its endpoint, empty if none.
         * @return the route.
         */
        static Route of(
            final int nodeId, final long epoch, final String endpoint, final int secondaryNodeId,
            final String secondaryEndpoint)
        {
            final boolean replicated = secondaryNodeId != 0 && !secondaryEndpoint.isEmpty();
            return new Route(nodeId, epoch, Endpoint.parse(endpoint), replicated ? secondaryNodeId : 0,
                replicated ? Endpoint.parse(secondaryEndpoint) : null);
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
        final long vRegion = FarAddress.vRegion(address, vRegionShift);
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
        routes[(int)vRegion] = route;
        this.routes = routes;
        if (previous != null && !previous.equals(route))
        {
            moves++;
        }
    }

    /**
     * How many times a vRegion's route changed (a failover, a node that came back on another endpoint); new vRegions
     * do not count. Whoever deferred a request to an unavailable node sends it again when this changes.
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
