package io.splitheap.protocol.runtime;

import io.splitheap.protocol.transport.DaemonThreadFactory;
import io.splitheap.protocol.transport.IdleStrategies;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;

/**
 * Runs a component's {@link Agent} on a daemon thread with a backoff idle strategy, or, in invoker mode, lets the
 * caller step it (tests use this to drive components deterministically).
 */
public final class AgentHost implements AutoCloseable
{
    private final AgentRunner runner;
    private final AgentInvoker invoker;

    private AgentHost(final AgentRunner runner, final AgentInvoker invoker)
    {
        this.runner = runner;
        this.invoker = invoker;
    }

    /**
     * Starts an agent.
     *
     * @param agent        the agent.
     * @param useInvoker   true to have the caller step it with {@link #invoke()}.
     * @param maxParkNs    longest idle park of its thread.
     * @param errorHandler receives errors thrown by {@code doWork}.
     * @return the host.
     */
    public static AgentHost start(
        final Agent agent, final boolean useInvoker, final long maxParkNs, final ErrorHandler errorHandler)
    {
        if (useInvoker)
        {
            final AgentInvoker invoker = new AgentInvoker(errorHandler, null, agent);
            invoker.start();
            return new AgentHost(null, invoker);
        }
        final AgentRunner runner = new AgentRunner(IdleStrategies.backoff(maxParkNs), errorHandler, null, agent);
        AgentRunner.startOnThread(runner, new DaemonThreadFactory(agent.roleName()));
        return new AgentHost(runner, null);
    }

    /**
     * Runs one duty cycle (invoker mode only).
     *
     * @return work done.
     */
    public int invoke()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("not in invoker mode");
        }
        return invoker.invoke();
    }

    /**
     * Whether the caller steps the agent.
     *
     * @return true in invoker mode.
     */
    public boolean isInvoker()
    {
        return invoker != null;
    }

    /**
     * Stops the agent (waits for its thread) and calls its {@code onClose}.
     */
    public void close()
    {
        if (runner != null)
        {
            runner.close();
        }
        if (invoker != null)
        {
            invoker.close();
        }
    }
}
