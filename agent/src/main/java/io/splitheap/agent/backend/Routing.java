package io.splitheap.agent.backend;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;

import java.util.Arrays;

/**
 * Where each vRegion of this process lives: its primary memory node and routing epoch. Copy-on-write arrays
 * indexed by vRegion and node id, so a miss reads them without locking.
 */
final class Routing
{
    /**
     * A vRegion's route.
     *
     * @param nodeId   primary memory node.
     * @param epoch    routing epoch the node expects in requests.
     * @param endpoint the node's endpoint.
     */
    record Route(int nodeId, long epoch, Endpoint endpoint)
    {
    }

    private final int vRegionShift;
    private volatile Route[] routes = new Route[64];

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
        if (vRegion >= routes.length)
        {
            routes = Arrays.copyOf(routes, (int)Math.max(vRegion + 1, routes.length * 2L));
        }
        else
        {
            routes = routes.clone();
        }
        routes[(int)vRegion] = route;
        this.routes = routes;
    }

    int vRegionShift()
    {
        return vRegionShift;
    }
}
