package io.splitheap.agent.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until the references a GC found dead have been enqueued, as {@code java.nio.Bits.reserveMemory} does after
 * its {@code System.gc()}: through the JDK's own {@code JavaLangRefAccess.waitForReferenceProcessing} when the agent
 * could export {@code jdk.internal.access} to itself, else by giving the reference handler a moment.
 */
final class ReferenceProcessing
{
    private static final long FALLBACK_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final MethodHandle WAIT = find();

    private ReferenceProcessing()
    {
    }

    /**
     * Waits while the reference handler still has references of the last GC to enqueue.
     */
    static void await()
    {
        if (WAIT == null)
        {
            LockSupport.parkNanos(FALLBACK_WAIT_NS);
            return;
        }
        try
        {
            for (int rounds = 0; rounds < 1000 && (boolean)WAIT.invokeExact(); rounds++)
            {
                // each call waits for one batch of pending references to be enqueued
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final Throwable ex)
        {
            LockSupport.parkNanos(FALLBACK_WAIT_NS);
        }
    }

    private static MethodHandle find()
    {
        try
        {
            final Class<?> secrets = Class.forName("jdk.internal.access.SharedSecrets");
            final Class<?> access = Class.forName("jdk.internal.access.JavaLangRefAccess");
            final Object instance = MethodHandles.publicLookup()
                .findStatic(secrets, "getJavaLangRefAccess", MethodType.methodType(access)).invoke();
            return MethodHandles.publicLookup()
                .findVirtual(access, "waitForReferenceProcessing", MethodType.methodType(boolean.class))
                .bindTo(instance);
        }
        catch (final Throwable ex)
        {
            return null;
        }
    }
}
