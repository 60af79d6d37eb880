package io.splitheap.systemtests;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.Channels;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer on the network with its own media driver and nothing of Splitheap's client: raw publications to a
 * component's request endpoint (each its own Aeron session) and a reply subscription it can name in a
 * {@code Connect}. What it receives is kept as byte arrays.
 */
final class Attacker implements AutoCloseable
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final AeronResources aeron;
    private final Subscription replies;
    private final FragmentAssembler assembler;
    private final List<byte[]> received = new ArrayList<>();
    private final List<ExclusivePublication> publications = new ArrayList<>();
    private final String replyChannel;

    Attacker()
    {
        aeron = AeronResources.launchEmbedded("attacker", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            new ErrorLog("attacker", System.err));
        replies = aeron.aeron().addSubscription(Channels.subscription(new Endpoint("127.0.0.1", 0)),
            Channels.REPLY_STREAM_ID);
        assembler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            received.add(bytes);
        });
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (replies.resolvedEndpoint() == null && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
            sleep(1);
        }
        replyChannel = Channels.publication(Endpoint.parse(replies.resolvedEndpoint()), 8192, 64 * 1024);
    }

    /**
     * The channel this attacker receives on.
     */
    String replyChannel()
    {
        return replyChannel;
    }

    /**
     * A new session to a server's request endpoint, connected.
     */
    ExclusivePublication session(final Endpoint server)
    {
        final ExclusivePublication publication = aeron.aeron().addExclusivePublication(
            Channels.publication(server, 8192, 64 * 1024), Channels.REQUEST_STREAM_ID);
        publications.add(publication);
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!publication.isConnected() && System.nanoTime() < deadline)
        {
            sleep(1);
        }
        if (!publication.isConnected())
        {
            throw new IllegalStateException("no connection to " + server);
        }
        return publication;
    }

    /**
     * A publication to a server's request endpoint with a term of the attacker's choosing, not waited for.
     */
    ExclusivePublication rawPublication(final Endpoint server, final int termLength)
    {
        final ExclusivePublication publication = aeron.aeron().addExclusivePublication(
            Channels.publication(server, 8192, termLength), Channels.REQUEST_STREAM_ID);
        publications.add(publication);
        return publication;
    }

    /**
     * Sends bytes, waiting out back pressure.
     */
    void send(final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (publication.offer(buffer, offset, length) < 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("could not send " + length + " bytes");
            }
            sleep(1);
        }
    }

    void send(final ExclusivePublication publication, final byte[] bytes)
    {
        send(publication, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /**
     * Polls replies for a while.
     *
     * @return every message received so far (cleared).
     */
    List<byte[]> receive(final long millis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline)
        {
            if (replies.poll(assembler, 16) == 0)
            {
                sleep(1);
            }
        }
        final List<byte[]> copy = new ArrayList<>(received);
        received.clear();
        return copy;
    }

    /**
     * Polls until one message arrives or the time is up.
     *
     * @return the message or null.
     */
    byte[] receiveOne(final long millis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (received.isEmpty() && System.nanoTime() < deadline)
        {
            if (replies.poll(assembler, 1) == 0)
            {
                sleep(1);
            }
        }
        return received.isEmpty() ? null : received.remove(0);
    }

    public void close()
    {
        publications.forEach(ExclusivePublication::close);
        replies.close();
        aeron.close();
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
