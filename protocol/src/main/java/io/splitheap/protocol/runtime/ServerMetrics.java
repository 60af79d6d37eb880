package io.splitheap.protocol.runtime;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.transport.RequestServer;
import org.agrona.ErrorHandler;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A component's counters as a JMX bean (see {@link ServerMetricsMXBean}), read from its request server while it
 * runs (plain reads of counters the component's thread updates: fine for monitoring). Close to unregister.
 */
public final class ServerMetrics implements ServerMetricsMXBean, AutoCloseable
{
    private final Endpoint endpoint;
    private final RequestServer server;
    private final LongSupplier extraAuthFailures;
    private final LongSupplier usedPages;
    private final ObjectName name;

    private ServerMetrics(
        final String type,
        final Endpoint endpoint,
        final RequestServer server,
        final LongSupplier extraAuthFailures,
        final LongSupplier usedPages,
        final ErrorHandler errorHandler)
    {
        this.endpoint = endpoint;
        this.server = server;
        this.extraAuthFailures = extraAuthFailures;
        this.usedPages = usedPages;
        ObjectName registered = null;
        try
        {
            final ObjectName candidate = new ObjectName("io.splitheap:type=" + type + ",endpoint=" +
                ObjectName.quote(endpoint.toString()));
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, candidate);
            registered = candidate;
        }
        catch (final JMException | RuntimeException ex)
        {
            errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException(
                "JMX bean of " + type + " at " + endpoint + " not registered: " + ex,
                io.splitheap.protocol.exceptions.SplitheapException.Category.WARN, null));
        }
        this.name = registered;
    }

    /**
     * Registers a component's bean.
     *
     * @param type              Coordinator, MemoryNode or StorageNode.
     * @param endpoint          its request endpoint.
     * @param server            its request server.
     * @param extraAuthFailures wrong secrets its handlers refused.
     * @param usedPages         pages it stores.
     * @param errorHandler      told if JMX refuses the bean.
     * @return the bean.
     */
    public static ServerMetrics register(
        final String type,
        final Endpoint endpoint,
        final RequestServer server,
        final LongSupplier extraAuthFailures,
        final LongSupplier usedPages,
        final ErrorHandler errorHandler)
    {
        return new ServerMetrics(type, endpoint, server, extraAuthFailures, usedPages, errorHandler);
    }

    /**
     * {@inheritDoc}
     */
    public String getEndpoint()
    {
        return endpoint.toString();
    }

    /**
     * {@inheritDoc}
     */
    public int getSessions()
    {
        return server.sessionCount();
    }

    /**
     * {@inheritDoc}
     */
    public long getAuthFailures()
    {
        return server.authFailures() + extraAuthFailures.getAsLong();
    }

    /**
     * {@inheritDoc}
     */
    public long getMalformedMessages()
    {
        return server.malformedMessages();
    }

    /**
     * {@inheritDoc}
     */
    public long getDroppedMessages()
    {
        return server.droppedMessages();
    }

    /**
     * {@inheritDoc}
     */
    public long getUsedPages()
    {
        return usedPages.getAsLong();
    }

    /**
     * Unregisters the bean.
     */
    public void close()
    {
        if (name != null)
        {
            try
            {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            }
            catch (final JMException | RuntimeException ignore)
            {
                // already gone
            }
        }
    }
}
