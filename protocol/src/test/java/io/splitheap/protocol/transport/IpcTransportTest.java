package io.splitheap.protocol.transport;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.ClusterStatusRequestEncoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.runtime.ErrorLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared memory between components of one media driver: a client that may use ipc reaches a server of its own driver
 * over {@code aeron:ipc} and a server of another driver over UDP, with the same requests and replies.
 */
@Timeout(60)
class IpcTransportTest
{
    private static final TransportSecurity SECURITY = new TransportSecurity(
        io.splitheap.protocol.security.ClusterSecret.generate(), false);
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final ErrorLog errors = new ErrorLog("ipc-test", System.err);
    private final Replier replier = new Replier(0);
    private AeronResources serverDriver;
    private RequestServer server;
    private Endpoint endpoint;
    private Session lastSession;

    @BeforeEach
    void start()
    {
        serverDriver = AeronResources.launchEmbedded("ipc-test-server", System.getProperty("java.io.tmpdir"),
            64 * 1024, 1_000_000, errors);
        server = new RequestServer(serverDriver.aeron(), new Endpoint("127.0.0.1", 0), this::onRequest, errors,
            SECURITY);
        endpoint = server.awaitResolvedEndpoint(TIMEOUT_NS);
    }

    @AfterEach
    void stop()
    {
        server.close();
        serverDriver.close();
    }

    @Test
    void shouldReachServerOfTheSameDriverOverSharedMemory()
    {
        try (AeronResources shared = AeronResources.connect("ipc-test-client", serverDriver.directory(), 1_000_000,
            errors))
        {
            assertFalse(shared.ownsDriver());
            final long[] acked = new long[1];
            try (ClientEndpoint client = new ClientEndpoint(shared.aeron(), "127.0.0.1", 8192, 64 * 1024,
                (buffer, offset, length, header) -> acked[0] = TransportTest.ackId(buffer, offset),
                    TIMEOUT_NS, true, SECURITY, errors))
            {
                final ServerLink link = TransportTest.connect(client, endpoint, server);
                assertTrue(link.isIpc(), "a server in this client's driver is reached over shared memory");
                roundTrip(client, link, acked);
                assertTrue(lastSession.isIpc(), "the server replies over shared memory too");
            }
        }
        assertEquals(0, errors.errorCount());
    }

    @Test
    void shouldWaitOverSharedMemoryForAServerThatComesBackOnItsEndpoint()
    {
        try (AeronResources shared = AeronResources.connect("ipc-test-client", serverDriver.directory(), 1_000_000,
            errors))
        {
            final long[] acked = new long[1];
            try (ClientEndpoint client = new ClientEndpoint(shared.aeron(), "127.0.0.1", 8192, 64 * 1024,
                (buffer, offset, length, header) -> acked[0] = TransportTest.ackId(buffer, offset),
                    TIMEOUT_NS, true, SECURITY, errors))
            {
                final ServerLink link = TransportTest.connect(client, endpoint, server);
                assertTrue(link.isIpc());

                // the server goes away for longer than a link stays ready without a subscriber plus the ipc probe
                server.close();
                final long awayUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                while (System.nanoTime() < awayUntil)
                {
                    client.doWork(System.nanoTime());
                    client.poll(10);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                assertFalse(link.isReady(), "the link noticed that its server went away");
                server = new RequestServer(serverDriver.aeron(), endpoint, this::onRequest, errors, SECURITY);
                assertEquals(endpoint, server.awaitResolvedEndpoint(TIMEOUT_NS));
                final long deadline = System.nanoTime() + TIMEOUT_NS;
                while (!link.isReady() && System.nanoTime() < deadline)
                {
                    client.doWork(System.nanoTime());
                    server.poll(10);
                    client.poll(10);
                }
                assertTrue(link.isReady(), "handshake completed with the server that came back");
                assertTrue(link.isIpc(), "still over shared memory: the server runs on the client's driver");
                roundTrip(client, link, acked);
                assertTrue(lastSession.isIpc());
            }
        }
    }

    @Test
    void shouldFallBackToUdpForServerOfAnotherDriver()
    {
        try (AeronResources other = AeronResources.launchEmbedded("ipc-test-other", System.getProperty(
            "java.io.tmpdir"), 64 * 1024, 1_000_000, errors))
        {
            final long[] acked = new long[1];
            try (ClientEndpoint client = new ClientEndpoint(other.aeron(), "127.0.0.1", 8192, 64 * 1024,
                (buffer, offset, length, header) -> acked[0] = TransportTest.ackId(buffer, offset),
                    TIMEOUT_NS, true, SECURITY, errors))
            {
                final ServerLink link = TransportTest.connect(client, endpoint, server);
                assertFalse(link.isIpc(), "nothing in the client's driver listens: UDP after the probe");
                roundTrip(client, link, acked);
                assertFalse(lastSession.isIpc());
            }
        }
    }

    @Test
    void shouldKeepUdpWhenNotAskedForSharedMemory()
    {
        try (AeronResources shared = AeronResources.connect("ipc-test-client", serverDriver.directory(), 1_000_000,
            errors))
        {
            final long[] acked = new long[1];
            try (ClientEndpoint client = new ClientEndpoint(shared.aeron(), "127.0.0.1", 8192, 64 * 1024,
                (buffer, offset, length, header) -> acked[0] = TransportTest.ackId(buffer, offset),
                    TIMEOUT_NS, SECURITY, errors))
            {
                final ServerLink link = TransportTest.connect(client, endpoint, server);
                assertFalse(link.isIpc());
                roundTrip(client, link, acked);
            }
        }
    }

    @Test
    void shouldDeriveDistinctStreamsFromEndpoints()
    {
        final Set<Integer> streams = new HashSet<>();
        for (int port = 40000; port < 41000; port++)
        {
            final int stream = Channels.ipcStreamId(new Endpoint("127.0.0.1", port));
            assertEquals(0x4000_0000, stream & 0xC000_0000, "apart from the fixed stream ids");
            streams.add(stream);
        }
        assertEquals(1000, streams.size());
        assertNotEquals(Channels.ipcStreamId(new Endpoint("127.0.0.1", 40000)),
            Channels.ipcStreamId(new Endpoint("127.0.0.2", 40000)));
        assertEquals(Channels.ipcStreamId(new Endpoint("127.0.0.1", 40000)),
            Channels.ipcStreamId(Endpoint.parse("127.0.0.1:40000")));
    }

    @Test
    void shouldRefuseDirectoryWithoutDriver()
    {
        final String missing = System.getProperty("java.io.tmpdir") + "/splitheap-no-driver-here";
        final RuntimeException error = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
            () -> AeronResources.connect("ipc-test-client", missing, 1_000_000, errors));
        assertTrue(error.getMessage().contains("aeron.dir") && error.getMessage().contains(missing),
            error.getMessage());
    }

    private void roundTrip(final ClientEndpoint client, final ServerLink link, final long[] acked)
    {
        final long correlationId = client.nextCorrelationId();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final ClusterStatusRequestEncoder encoder = new ClusterStatusRequestEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        assertTrue(link.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), TIMEOUT_NS));
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (acked[0] != correlationId && System.nanoTime() < deadline)
        {
            server.poll(10);
            client.poll(10);
        }
        assertEquals(correlationId, acked[0], "the reply came back");
    }

    private void onRequest(
        final Session session, final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        lastSession = session;
        final long correlationId = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH,
            java.nio.ByteOrder.LITTLE_ENDIAN);
        replier.ack(session, correlationId);
    }
}
