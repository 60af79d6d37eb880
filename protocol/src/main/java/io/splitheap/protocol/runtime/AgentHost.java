package io.splitheap.protocol.runtime;

import io.splitheap.protocol.transport.DaemonThreadFactory;
import io.splitheap.protocol.transport.IdleStrategies;
import org.agrona.ErrorHandler;
import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;

/**
 * Runs a component's {@link Agent} on a daemon thread with a backoff idle strategy, or, in invoker mode, lets the
 * caller step it (tests use this to drive components deterministically). A component whose duty cycle throws an
 * {@link Error} (out of memory, a JVM fault) cannot be trusted to go on: it is reported as fatal and the JVM exits
 * with status {@value #FATAL_EXIT_STATUS}, so that a supervisor restarts it, instead of lingering with a dead thread.
 */
public final class AgentHost implements AutoCloseable
{
    /**
     * Exit status of a JVM whose component failed fatally.
     */
    public static final int FATAL_EXIT_STATUS = 70;

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
        final AgentRunner runner = new AgentRunner(IdleStrategies.backoff(maxParkNs), errorHandler, null,
            new FatalGuard(agent, errorHandler, AgentHost::exitFatally));
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

    private static void exitFatally()
    {
        // from another thread: shutdown hooks close components, which join this agent's thread
        final Thread exit = new Thread(() -> System.exit(FATAL_EXIT_STATUS), "splitheap-fatal-exit");
        exit.setDaemon(true);
        exit.start();
    }

    /**
     * Stops the JVM when a duty cycle throws an {@link Error}.
     */
    static final class FatalGuard implements Agent
    {
        private final Agent agent;
        private final ErrorHandler errorHandler;
        private final Runnable exit;

        FatalGuard(final Agent agent, final ErrorHandler errorHandler, final Runnable exit)
        {
            this.agent = agent;
            this.errorHandler = errorHandler;
            this.exit = exit;
        }

        public void onStart()
        {
            agent.onStart();
        }

        public int doWork() throws Exception
        {
            try
            {
                return agent.doWork();
            }
            catch (final Error error)
            {
                errorHandler.onError(new SplitheapException("component " + agent.roleName() + " failed and cannot " +
                    "continue: exiting with status " + FATAL_EXIT_STATUS, SplitheapException.Category.FATAL, error));
                exit.run();
                throw new AgentTerminationException(error);
            }
        }

        public void onClose()
        {
            agent.onClose();
        }

        public String roleName()
        {
            return agent.roleName();
        }
    }
}
