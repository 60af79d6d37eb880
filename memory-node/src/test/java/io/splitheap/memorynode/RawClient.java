package io.splitheap.memorynode;

import io.aeron.Aeron;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.AckDecoder;
import io.splitheap.protocol.codecs.AllocateEncoder;
import io.splitheap.protocol.codecs.AllocateReplyDecoder;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ClusterStatusDecoder;
import io.splitheap.protocol.codecs.ClusterStatusRequestEncoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.ErrorResponseDecoder;
import io.splitheap.protocol.codecs.FreePagesEncoder;
import io.splitheap.protocol.codecs.LineDataDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.ReadLineEncoder;
import io.splitheap.protocol.codecs.RegisterProcessEncoder;
import io.splitheap.protocol.codecs.RegisterProcessReplyDecoder;
import io.splitheap.protocol.codecs.RoutingUpdateDecoder;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.codecs.UnregisterProcessEncoder;
import io.splitheap.protocol.codecs.WriteLinesEncoder;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process speaking the wire protocol directly (no agent), so tests can send exactly what they want, including
 * wrong secrets and malformed messages.
 */
final class RawClient implements AutoCloseable
{
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * A reply: its template and bytes.
     *
     * @param templateId template.
     * @param bytes      the message.
     */
    record Reply(int templateId, UnsafeBuffer bytes)
    {
        ErrorCode errorCode()
        {
            final ErrorResponseDecoder decoder = new ErrorResponseDecoder();
            assertEquals(ErrorResponseDecoder.TEMPLATE_ID, templateId, "expected an error reply");
            decoder.wrapAndApplyHeader(bytes, 0, new MessageHeaderDecoder());
            return decoder.code();
        }

        String errorMessage()
        {
            final ErrorResponseDecoder decoder = new ErrorResponseDecoder();
            decoder.wrapAndApplyHeader(bytes, 0, new MessageHeaderDecoder());
            decoder.address();
            return decoder.message();
        }
    }

    /**
     * A vRegion's route, as an allocation or a routing push gave it.
     *
     * @param vRegion           the vRegion.
     * @param epoch             its epoch.
     * @param primaryNodeId     primary.
     * @param secondaryNodeId   secondary, 0 for none.
     * @param primaryEndpoint   primary's endpoint.
     * @param secondaryEndpoint secondary's, empty for none.
     */
    record Route(
        long vRegion, long epoch, int primaryNodeId, int secondaryNodeId, String primaryEndpoint,
        String secondaryEndpoint)
    {
    }

    private final ClientEndpoint client;
    private final ServerLink coordinator;
    private final Map<Long, Reply> replies = new HashMap<>();
    private final Map<Long, Route> routes = new HashMap<>();
    int pid;
    long secret;

    RawClient(final Aeron aeron, final Endpoint coordinatorEndpoint)
    {
        client = new ClientEndpoint(aeron, "127.0.0.1", 8192, 1 << 20, this::onReply, TIMEOUT_NS,
            io.splitheap.protocol.transport.TransportSecurity.of(MemoryNodeTest.SECRET),
            new io.splitheap.protocol.runtime.ErrorLog("raw-client", System.err));
        coordinator = client.connect(coordinatorEndpoint, TIMEOUT_NS);
    }

    ServerLink connect(final Endpoint endpoint)
    {
        return client.connect(endpoint, TIMEOUT_NS);
    }

    void register()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final RegisterProcessEncoder encoder = new RegisterProcessEncoder();
        final long id = client.nextCorrelationId();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id).hostPid(1).hostName("t");
        final Reply reply = request(coordinator, id, buffer, MessageHeaderEncoder.ENCODED_LENGTH +
            encoder.encodedLength());
        final RegisterProcessReplyDecoder decoder = new RegisterProcessReplyDecoder();
        decoder.wrapAndApplyHeader(reply.bytes(), 0, new MessageHeaderDecoder());
        pid = decoder.pid();
        secret = decoder.secret();
    }

    /**
     * Allocates, retrying while the coordinator cannot reach the memory node yet.
     *
     * @param length bytes.
     * @return {address, vRegion epoch} or the error reply's code in the second slot as a negative number.
     */
    long[] allocate(final long length)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (true)
        {
            final Reply reply = requestAllocation(length);
            if (reply.templateId() == AllocateReplyDecoder.TEMPLATE_ID)
            {
                final AllocateReplyDecoder decoder = new AllocateReplyDecoder();
                decoder.wrapAndApplyHeader(reply.bytes(), 0, new MessageHeaderDecoder());
                final long address = decoder.address();
                final long epoch = decoder.regions().next().epoch();
                return new long[]{address, epoch};
            }
            final ErrorCode code = reply.errorCode();
            if (code != ErrorCode.NO_MEMORY_NODES || System.nanoTime() > deadline)
            {
                return new long[]{0, -code.value()};
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Allocates one vRegion's worth or less and returns its address and route.
     *
     * @param length bytes.
     * @return {address} and the route of its vRegion, through {@link #route(long)}.
     */
    long allocateRouted(final long length)
    {
        final Reply reply = requestAllocation(length);
        assertEquals(AllocateReplyDecoder.TEMPLATE_ID, reply.templateId(), "allocated");
        final AllocateReplyDecoder decoder = new AllocateReplyDecoder();
        decoder.wrapAndApplyHeader(reply.bytes(), 0, new MessageHeaderDecoder());
        final long address = decoder.address();
        for (final AllocateReplyDecoder.RegionsDecoder region : decoder.regions())
        {
            routes.put(region.vRegion(), new Route(region.vRegion(), region.epoch(), region.primaryNodeId(),
                region.secondaryNodeId(), region.primaryEndpoint(), region.secondaryEndpoint()));
        }
        return address;
    }

    private Reply requestAllocation(final long length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final AllocateEncoder encoder = new AllocateEncoder();
        final long id = client.nextCorrelationId();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id).pid(pid)
            .secret(secret).length(length);
        return request(coordinator, id, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * The latest route of a vRegion (polls for routing pushes first).
     *
     * @param vRegion the vRegion.
     * @return the route or null.
     */
    Route route(final long vRegion)
    {
        client.poll(10);
        return routes.get(vRegion);
    }

    /**
     * How far the secondary of a vRegion of this process is, as the coordinator's status says.
     *
     * @param vRegion the vRegion.
     * @return the state, or null if the status does not list it.
     */
    SecondaryState secondaryState(final long vRegion)
    {
        final ClusterStatusDecoder decoder = status();
        for (final ClusterStatusDecoder.NodesDecoder node : decoder.nodes())
        {
            node.skipEndpoint();
        }
        for (final ClusterStatusDecoder.ProcessListDecoder process : decoder.processList())
        {
            process.skipHostName();
        }
        SecondaryState state = null;
        for (final ClusterStatusDecoder.RegionsDecoder region : decoder.regions())
        {
            if (region.pid() == pid && region.vRegion() == vRegion)
            {
                state = region.secondaryState();
            }
        }
        return state;
    }

    /**
     * Waits until the coordinator can place vRegions on a number of nodes (it reaches a node a little after the node
     * registered).
     *
     * @param nodes how many.
     */
    void awaitPlaceableNodes(final int nodes)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (placeableNodes() < nodes)
        {
            assertTrue(System.nanoTime() < deadline, "the coordinator reaches " + nodes + " nodes");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /**
     * Waits until a vRegion's route passes a test (polling for routing pushes).
     *
     * @param vRegion   the vRegion.
     * @param condition the test.
     * @param timeoutNs how long at most.
     * @return the route.
     */
    Route awaitRoute(final long vRegion, final Predicate<Route> condition, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        Route route = route(vRegion);
        while (!condition.test(route))
        {
            assertTrue(System.nanoTime() < deadline, "no such route within the wait: " + route);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            route = route(vRegion);
        }
        return route;
    }

    /**
     * Requires an acknowledgement.
     *
     * @param reply the reply.
     */
    static void ack(final Reply reply)
    {
        assertEquals(AckDecoder.TEMPLATE_ID, reply.templateId(), () -> reply.errorCode() + ": " + reply.errorMessage());
    }

    /**
     * Nodes the coordinator can place vRegions on now.
     *
     * @return count.
     */
    int placeableNodes()
    {
        int count = 0;
        for (final ClusterStatusDecoder.NodesDecoder node : status().nodes())
        {
            count += node.alive() == BooleanType.TRUE && node.connected() == BooleanType.TRUE ? 1 : 0;
            node.skipEndpoint();
        }
        return count;
    }

    private ClusterStatusDecoder status()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final ClusterStatusRequestEncoder encoder = new ClusterStatusRequestEncoder();
        final long id = client.nextCorrelationId();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id);
        final Reply reply = request(coordinator, id, buffer, MessageHeaderEncoder.ENCODED_LENGTH +
            encoder.encodedLength());
        final ClusterStatusDecoder decoder = new ClusterStatusDecoder();
        decoder.wrapAndApplyHeader(reply.bytes(), 0, new MessageHeaderDecoder());
        return decoder;
    }

    Reply read(final ServerLink node, final long secret, final long epoch, final long address, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final ReadLineEncoder encoder = new ReadLineEncoder();
        final long id = client.nextCorrelationId();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id).pid(pid).secret(secret)
            .epoch(epoch).address(address).length(length);
        return request(node, id, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    byte[] readData(final ServerLink node, final long epoch, final long address, final int length)
    {
        final Reply reply = read(node, secret, epoch, address, length);
        assertEquals(LineDataDecoder.TEMPLATE_ID, reply.templateId(), "line data expected");
        final LineDataDecoder decoder = new LineDataDecoder();
        decoder.wrapAndApplyHeader(reply.bytes(), 0, new MessageHeaderDecoder());
        final byte[] data = new byte[decoder.dataLength()];
        decoder.getData(data, 0, data.length);
        return data;
    }

    Reply write(final ServerLink node, final long epoch, final long address, final byte[] data)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[data.length + 256]);
        final WriteLinesEncoder encoder = new WriteLinesEncoder();
        final long id = client.nextCorrelationId();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id).pid(pid).secret(secret)
            .linesCount(1).next().address(address).epoch(epoch).putData(data, 0, data.length);
        return request(node, id, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    Reply free(final ServerLink node, final long epoch, final long address, final long length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final FreePagesEncoder encoder = new FreePagesEncoder();
        final long id = client.nextCorrelationId();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id).pid(pid).secret(secret)
            .epoch(epoch).address(address).length(length);
        return request(node, id, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    Reply unregister()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final UnregisterProcessEncoder encoder = new UnregisterProcessEncoder();
        final long id = client.nextCorrelationId();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id).pid(pid).secret(secret);
        return request(coordinator, id, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    Reply raw(final ServerLink link, final long correlationId, final UnsafeBuffer buffer, final int length)
    {
        return request(link, correlationId, buffer, length);
    }

    long nextCorrelationId()
    {
        return client.nextCorrelationId();
    }

    public void close()
    {
        client.close();
    }

    private Reply request(final ServerLink link, final long id, final UnsafeBuffer buffer, final int length)
    {
        assertEquals(true, link.send(buffer, 0, length), "sent");
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!replies.containsKey(id))
        {
            if (client.poll(10) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("no reply to request " + id);
                }
                Thread.yield();
            }
        }
        return replies.remove(id);
    }

    private void onReply(
        final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder();
        messageHeader.wrap(buffer, offset);
        if (messageHeader.templateId() == RoutingUpdateDecoder.TEMPLATE_ID)
        {
            final RoutingUpdateDecoder update = new RoutingUpdateDecoder();
            update.wrapAndApplyHeader(buffer, offset, messageHeader);
            for (final RoutingUpdateDecoder.RegionsDecoder region : update.regions())
            {
                routes.put(region.vRegion(), new Route(region.vRegion(), region.epoch(), region.primaryNodeId(),
                    region.secondaryNodeId(), region.primaryEndpoint(), region.secondaryEndpoint()));
            }
            return;
        }
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, buffer, offset, length);
        replies.put(buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN),
            new Reply(messageHeader.templateId(), copy));
    }
}
