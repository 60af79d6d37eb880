package io.splitheap.agent.backend;

import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.exceptions.RemoteException;
import org.agrona.UnsafeApi;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls on a remote backend that its tests share: an allocation while the nodes are still registering, one line
 * written back and awaited, a demand read while a housekeeper runs, and polling until something arrives.
 */
final class BackendCalls
{
    private BackendCalls()
    {
    }

    /**
     * Allocates, retrying while the coordinator has no memory node yet.
     *
     * @param backend   the backend.
     * @param length    bytes.
     * @param timeoutNs how long nodes may take to register.
     * @return the address.
     */
    static long allocate(final RemoteBackend backend, final long length, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (true)
        {
            try
            {
                return backend.allocate(length);
            }
            catch (final RemoteException ex)
            {
                if (ex.code() != ErrorCode.NO_MEMORY_NODES || System.nanoTime() > deadline)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * Writes one line back (zeros but the long at offset 8) and waits for its completion, doing the heartbeat
     * thread's duty meanwhile (timing out requests nobody answers).
     *
     * @param backend the backend.
     * @param buffer  native buffer of one line.
     * @param line    line length.
     * @param address far address of the line.
     * @param value   the long at offset 8.
     * @param waitNs  how long the completion may take.
     * @return null if stored, else the failure.
     */
    static Throwable write(
        final RemoteBackend backend,
        final long buffer,
        final int line,
        final long address,
        final long value,
        final long waitNs)
    {
        UnsafeApi.setMemory(buffer, line, (byte)0);
        UnsafeApi.putLong(buffer + 8, value);
        final long deadline = System.nanoTime() + waitNs;
        while (true)
        {
            final AtomicReference<Throwable> result = new AtomicReference<>();
            final AtomicBoolean done = new AtomicBoolean();
            backend.writeLinesAsync(new long[]{address}, new long[]{buffer}, 1, line, error ->
            {
                result.set(error);
                done.set(true);
            });
            assertTrue(backend.await(() -> backend.doWork(System.nanoTime()) < 0 || done.get(), waitNs, "write"));
            // the first write-back to a node opens its link without waiting for it; the write-back buffer retries
            if (!stillConnecting(result.get()) || System.nanoTime() > deadline)
            {
                return result.get();
            }
        }
    }

    /**
     * Whether a write-back failed only because its node's link was still being opened.
     *
     * @param failure the failure or null.
     * @return true if so.
     */
    static boolean stillConnecting(final Throwable failure)
    {
        return failure instanceof NodeUnavailableException && failure.getMessage().contains("still connecting");
    }

    /**
     * A demand read of one line while a housekeeper thread, as the agent's, heartbeats, applies routing pushes and
     * advances links, as it does while an application thread waits for a miss.
     *
     * @param backend the backend.
     * @param address far address of the line.
     * @param buffer  native buffer of one line, where it is read to.
     * @param line    line length.
     * @throws InterruptedException if interrupted while stopping the housekeeper.
     */
    static void readWithHousekeeper(final RemoteBackend backend, final long address, final long buffer, final int line)
        throws InterruptedException
    {
        final AtomicBoolean reading = new AtomicBoolean(true);
        final Thread housekeeper = new Thread(() ->
        {
            while (reading.get())
            {
                backend.doWork(System.nanoTime());
                backend.poll();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }, "test-housekeeper");
        housekeeper.start();
        try
        {
            backend.readLine(address, buffer, line);
        }
        finally
        {
            reading.set(false);
            housekeeper.join();
        }
    }

    /**
     * Polls replies and pushes until a condition holds or the time is up.
     *
     * @param backend   the backend.
     * @param condition what to wait for.
     * @param timeoutNs how long at most.
     */
    static void pollUntil(final RemoteBackend backend, final BooleanSupplier condition, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline)
        {
            backend.poll();
        }
    }
}
