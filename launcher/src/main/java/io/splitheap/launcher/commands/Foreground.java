package io.splitheap.launcher.commands;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a component running in the foreground until the JVM is asked to stop, then closes it.
 */
final class Foreground
{
    private Foreground()
    {
    }

    static void runUntilStopped(final AutoCloseable component) throws InterruptedException
    {
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                component.close();
            }
            catch (final Exception ex)
            {
                System.err.println("splitheap: error while stopping: " + ex);
            }
            stopped.countDown();
        }, "splitheap-shutdown"));
        stopped.await();
    }
}
