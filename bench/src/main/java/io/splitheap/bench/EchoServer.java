package io.splitheap.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.runtime.AgentHost;
import io.splitheap.protocol.transport.Channels;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

/**
 * Echoes every message back on a fixed reply channel, polled by an agent with the nodes' idle strategy: the raw
 * Aeron round trip a miss is compared with.
 */
final class EchoServer implements Agent, AutoCloseable
{
    private final Subscription subscription;
    private final ExclusivePublication replies;
    private final FragmentAssembler assembler;
    private final AgentHost host;

    EchoServer(final Aeron aeron, final Endpoint replyTo, final long maxParkNs, final ErrorHandler errors)
    {
        this(aeron, Channels.subscription(new Endpoint("127.0.0.1", 0)), Channels.publication(replyTo, 8192, 1 << 20),
            maxParkNs, errors);
    }

    EchoServer(
        final Aeron aeron,
        final String requestChannel,
        final String replyChannel,
        final long maxParkNs,
        final ErrorHandler errors)
    {
        subscription = aeron.addSubscription(requestChannel, 7);
        replies = aeron.addExclusivePublication(replyChannel, 8);
        assembler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            while (replies.offer(buffer, offset, length) < 0)
            {
                Thread.yield();
            }
        });
        host = AgentHost.start(this, false, maxParkNs, errors);
    }

    Endpoint endpoint()
    {
        String resolved;
        while ((resolved = subscription.resolvedEndpoint()) == null)
        {
            Thread.yield();
        }
        return Endpoint.parse(resolved);
    }

    public int doWork()
    {
        return subscription.poll(assembler, 16);
    }

    public String roleName()
    {
        return "bench-echo";
    }

    public void close()
    {
        host.close();
        CloseHelper.quietCloseAll(replies, subscription);
    }
}
