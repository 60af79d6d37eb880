package io.splitheap.samples.support;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks on plain threads. Tasks are claimed in increasing order, but which thread runs which task
 * varies from run to run: tasks must only write their own outputs (a slice of an array, a slot in a result
 * array) so that results are the same for every thread count.
 */
public final class Workers
{
    private Workers()
    {
    }

    /**
     * Run tasks {@code 0 .. tasks - 1} on up to {@code threads} threads and wait for all of them. With one thread
     * the tasks run on the caller. The first failure of any task is rethrown here once all threads have stopped.
     *
     * @param threads most threads to use.
     * @param tasks   number of tasks.
     * @param task    body, given the task number.
     */
    public static void forEach(final int threads, final int tasks, final IntConsumer task)
    {
        final int threadCount = Math.min(threads, tasks);
        if (threadCount <= 1)
        {
            for (int t = 0; t < tasks; t++)
            {
                task.accept(t);
            }
            return;
        }

        final AtomicInteger nextTask = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Runnable loop = () ->
        {
            int t;
            while (failure.get() == null && (t = nextTask.getAndIncrement()) < tasks)
            {
                task.accept(t);
            }
        };

        final Thread[] workers = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            workers[i] = new Thread(loop, "sample-worker-" + i);
            workers[i].setDaemon(true);
            workers[i].setUncaughtExceptionHandler((final Thread thread, final Throwable ex) ->
                failure.compareAndSet(null, ex));
            workers[i].start();
        }
        joinAll(workers);

        final Throwable ex = failure.get();
        if (ex instanceof Error)
        {
            throw (Error)ex;
        }
        if (ex instanceof RuntimeException)
        {
            throw (RuntimeException)ex;
        }
        if (null != ex)
        {
            throw new IllegalStateException("worker failed", ex);
        }
    }

    private static void joinAll(final Thread[] workers)
    {
        for (final Thread worker : workers)
        {
            boolean interrupted = false;
            while (worker.isAlive())
            {
                try
                {
                    worker.join();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
