package io.splitheap.agent.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Node incarnations in routes: a change of a known one is a restart (the route moves and the node is named), an
 * unknown one (0, from a coordinator that restarted and has not heard from the node yet) keeps what the process knew.
 */
class RoutingTest
{
    private static final long VREGION = 3;

    @Test
    void shouldKeepAKnownIncarnationWhenAPushDoesNotKnowItAndMoveWhenItChanges()
    {
        final Routing routing = new Routing(20);
        routing.put(VREGION, route(1, 5, 2, 8));
        assertEquals(0, routing.moves(), "a new vRegion is not a move");

        final Routing.Route unknown = route(1, 0, 2, 0);
        assertEquals(0, unknown.restartedSince(routing.routeOf(VREGION), true));
        assertEquals(0, unknown.restartedSince(routing.routeOf(VREGION), false));
        routing.put(VREGION, unknown);
        assertEquals(5, routing.routeOf(VREGION).incarnation(), "kept");
        assertEquals(8, routing.routeOf(VREGION).secondaryIncarnation(), "kept");
        assertEquals(0, routing.moves(), "nothing changed");

        final Routing.Route primaryRestarted = route(1, 6, 2, 8);
        assertEquals(1, primaryRestarted.restartedSince(routing.routeOf(VREGION), true));
        assertEquals(0, primaryRestarted.restartedSince(routing.routeOf(VREGION), false));
        routing.put(VREGION, primaryRestarted);
        assertEquals(1, routing.moves(), "a restarted primary moves the route");

        final Routing.Route secondaryRestarted = route(1, 6, 2, 9);
        assertEquals(2, secondaryRestarted.restartedSince(routing.routeOf(VREGION), false));
        routing.put(VREGION, secondaryRestarted);
        assertEquals(2, routing.moves());

        final Routing.Route swapped = route(2, 9, 1, 6);
        assertEquals(0, swapped.restartedSince(routing.routeOf(VREGION), true), "node 2 is the same process");
        assertEquals(0, swapped.restartedSince(routing.routeOf(VREGION), false), "node 1 is the same process");
    }

    private static Routing.Route route(final int primary, final long incarnation, final int secondary, final long again)
    {
        return Routing.Route.of(primary, 1, "127.0.0.1:" + (40_000 + primary), secondary,
            "127.0.0.1:" + (40_000 + secondary), incarnation, again);
    }
}
