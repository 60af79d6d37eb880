package io.splitheap.protocol.transport;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names threads and makes them daemons, so that a component's threads never keep an application JVM alive.
 */
public final class DaemonThreadFactory implements ThreadFactory
{
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    /**
     * A factory.
     *
     * @param prefix thread name prefix.
     */
    public DaemonThreadFactory(final String prefix)
    {
        this.prefix = prefix;
    }

    /**
     * {@inheritDoc}
     */
    public Thread newThread(final Runnable runnable)
    {
        final int n = count.incrementAndGet();
        final Thread thread = new Thread(runnable, n == 1 ? prefix : prefix + "-" + n);
        thread.setDaemon(true);
        return thread;
    }
}
