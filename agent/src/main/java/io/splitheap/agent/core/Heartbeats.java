package io.splitheap.agent.core;

import io.splitheap.agent.backend.PageBackend;
import org.agrona.concurrent.Agent;

/**
 * The process's heartbeats to the coordinator, and the sweep that fails asynchronous requests nobody answered, on a
 * thread of their own. They used to run in the housekeeper's duty cycle, where a write-back to a node that had just
 * died held them for the request timeout per batch: after a minute without heartbeats the coordinator released the
 * process's memory, in the middle of the failover that was about to save it.
 */
final class Heartbeats implements Agent
{
    private final PageBackend backend;

    Heartbeats(final PageBackend backend)
    {
        this.backend = backend;
    }

    @Override
    public int doWork()
    {
        return backend.doWork(System.nanoTime());
    }

    @Override
    public String roleName()
    {
        return "splitheap-heartbeats";
    }
}
