package io.splitheap.memorynode;

import io.splitheap.coordinator.Coordinator;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.AckDecoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.ReadLineEncoder;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A memory node and a coordinator over Aeron on loopback, driven by a client speaking the raw protocol.
 */
@Timeout(120)
class MemoryNodeTest
{
    static final io.splitheap.protocol.security.ClusterSecret SECRET =
        io.splitheap.protocol.security.ClusterSecret.generate();
    private static final int LINE = FarAddress.PAGE_SIZE;

    @TempDir
    File dataDir;

    private final ErrorLog errors = new ErrorLog("memory-node-test", System.err);
    private AeronResources aeron;
    private Coordinator coordinator;
    private MemoryNode node;
    private RawClient client;

    @BeforeEach
    void start()
    {
        aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            errors);
        coordinator = Coordinator.launch(new Coordinator.Context().secret(SECRET).aeron(aeron.aeron())
            .bind(new Endpoint("127.0.0.1", 0)).vRegionShift(20).errorHandler(errors));
        node = launchNode(4L << 20);
        client = new RawClient(aeron.aeron(), coordinator.endpoint());
        client.register();
    }

    @AfterEach
    void stop()
    {
        client.close();
        node.close();
        coordinator.close();
        aeron.close();
    }

    private MemoryNode launchNode(final long capacity)
    {
        return launchNode(capacity, 64L << 20);
    }

    private MemoryNode launchNode(final long capacity, final long compactMin)
    {
        return MemoryNode.launch(new MemoryNode.Context().secret(SECRET).aeron(aeron.aeron())
            .coordinator(coordinator.endpoint()).compactMinBytes(compactMin)
            .bind(new Endpoint("127.0.0.1", 0)).capacityBytes(capacity).dataDir(dataDir).errorHandler(errors))
            .awaitRegistered(RawClient.TIMEOUT_NS);
    }

    @Test
    void shouldRefuseAMistypedProperty()
    {
        System.setProperty("splitheap.memory.node.capacty", "1g");
        try
        {
            final String message = org.junit.jupiter.api.Assertions.assertThrows(
                io.splitheap.protocol.exceptions.ConfigurationException.class, () -> launchNode(1L << 20)).getMessage();
            assertTrue(message.contains("unknown property -Dsplitheap.memory.node.capacty"), message);
        }
        finally
        {
            System.clearProperty("splitheap.memory.node.capacty");
        }
    }

    @Test
    void shouldCreateItsPageFileOnlyOnceRegistered() throws Exception
    {
        assertTrue(new File(dataDir, "pages.dat").isFile(), "the registered node has its page file");
        final File unregisteredDir = new File(dataDir, "unregistered");
        final int silentPort;
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
        {
            silentPort = socket.getLocalPort();
        }
        final MemoryNode lonely = MemoryNode.launch(new MemoryNode.Context().secret(SECRET).aeron(aeron.aeron())
            .coordinator(new Endpoint("127.0.0.1", silentPort)).bind(new Endpoint("127.0.0.1", 0))
            .capacityBytes(4L << 20).dataDir(unregisteredDir).errorHandler(errors));
        try
        {
            final String message = org.junit.jupiter.api.Assertions.assertThrows(
                io.splitheap.protocol.exceptions.TimeoutException.class,
                () -> lonely.awaitRegistered(java.util.concurrent.TimeUnit.SECONDS.toNanos(2))).getMessage();
            assertTrue(message.contains("could not register"), message);
            assertEquals(0, lonely.usedPages());
        }
        finally
        {
            lonely.close();
        }
        assertArrayEquals(new String[0], unregisteredDir.list(), "no page file without registration");
    }

    @Test
    void shouldReadZerosThenWhatWasWritten()
    {
        final long[] range = client.allocate(64 * 1024);
        final ServerLink link = client.connect(node.endpoint());
        assertEquals(0, client.readData(link, range[1], range[0], LINE).length, "never written: no data, zeros");
        final byte[] page = pattern(7);
        assertEquals(AckDecoder.TEMPLATE_ID, client.write(link, range[1], range[0] + LINE, page).templateId());
        assertArrayEquals(page, client.readData(link, range[1], range[0] + LINE, LINE));
        assertEquals(1, node.usedPages());
    }

    @Test
    void shouldNotStoreAPageOfZeros()
    {
        final long[] range = client.allocate(64 * 1024);
        final ServerLink link = client.connect(node.endpoint());
        client.write(link, range[1], range[0], pattern(1));
        assertEquals(1, node.usedPages());
        client.write(link, range[1], range[0], new byte[LINE]);
        assertEquals(0, node.usedPages(), "writing zeros drops the page");
    }

    @Test
    void shouldRefuseAWrongSecret()
    {
        final long[] range = client.allocate(64 * 1024);
        final ServerLink link = client.connect(node.endpoint());
        final RawClient.Reply reply = client.read(link, client.secret ^ 1, range[1], range[0], LINE);
        assertEquals(ErrorCode.BAD_SECRET, reply.errorCode());
        assertTrue(reply.errorMessage().contains("pid=" + client.pid), reply.errorMessage());
    }

    @Test
    void shouldRefuseAddressesTheProcessDoesNotOwn()
    {
        final long[] range = client.allocate(64 * 1024);
        final ServerLink link = client.connect(node.endpoint());
        assertEquals(ErrorCode.NOT_OWNER, client.read(link, client.secret, range[1], range[0] + (64 * 1024), LINE)
            .errorCode(), "past the end of the vma");
        try (RawClient other = new RawClient(aeron.aeron(), coordinator.endpoint()))
        {
            other.register();
            final ServerLink otherLink = other.connect(node.endpoint());
            assertEquals(ErrorCode.NOT_OWNER, other.read(otherLink, other.secret, range[1], range[0], LINE)
                .errorCode(), "another process's address");
            assertEquals(ErrorCode.BAD_SECRET, other.read(otherLink, client.secret, range[1], range[0], LINE)
                .errorCode(), "another process's secret under its own pid");
        }
    }

    @Test
    void shouldRefuseAStaleEpochAndUnalignedRanges()
    {
        final long[] range = client.allocate(64 * 1024);
        final ServerLink link = client.connect(node.endpoint());
        assertEquals(ErrorCode.STALE_EPOCH, client.read(link, client.secret, range[1] + 1, range[0], LINE)
            .errorCode());
        assertEquals(ErrorCode.INVALID_ARGUMENT, client.read(link, client.secret, range[1], range[0] + 8, LINE)
            .errorCode());
        assertEquals(ErrorCode.INVALID_ARGUMENT, client.read(link, client.secret, range[1], range[0], 1 << 20)
            .errorCode(), "longer than the largest line");
    }

    @Test
    void shouldAnswerATruncatedMessageWithMalformed()
    {
        final ServerLink link = client.connect(node.endpoint());
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final long id = client.nextCorrelationId();
        new ReadLineEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id);
        final RawClient.Reply reply = client.raw(link, id, buffer, MessageHeaderEncoder.ENCODED_LENGTH + 12);
        assertEquals(ErrorCode.MALFORMED, reply.errorCode());
    }

    @Test
    void shouldDiscardFreedPages()
    {
        final long[] range = client.allocate(64 * 1024);
        final ServerLink link = client.connect(node.endpoint());
        for (int page = 0; page < 4; page++)
        {
            client.write(link, range[1], range[0] + (long)page * LINE, pattern(page + 1));
        }
        assertEquals(4, node.usedPages());
        assertEquals(AckDecoder.TEMPLATE_ID, client.free(link, range[1], range[0], 2L * LINE).templateId());
        assertEquals(2, node.usedPages());
        assertEquals(0, client.readData(link, range[1], range[0], LINE).length);
        assertArrayEquals(pattern(3), client.readData(link, range[1], range[0] + 2L * LINE, LINE));
    }

    @Test
    void shouldCompactItsPageStoreOnceMostPagesAreFreedAndKeepTheRest() throws InterruptedException
    {
        node.close();
        node = launchNode(4L << 20, 8L * LINE);
        final long[] range = client.allocate(64 * LINE);
        final ServerLink link = client.connect(node.endpoint());
        for (int page = 0; page < 64; page++)
        {
            client.write(link, range[1], range[0] + (long)page * LINE, pattern(page + 1));
        }
        assertEquals(0, node.compactions(), "nothing freed yet");
        assertEquals(AckDecoder.TEMPLATE_ID, client.free(link, range[1], range[0], 60L * LINE).templateId());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.compactions() == 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertEquals(1, node.compactions(), "60 of 64 pages freed: the store gives their room back");
        assertEquals(4, node.usedPages());
        for (int page = 60; page < 64; page++)
        {
            assertArrayEquals(pattern(page + 1), client.readData(link, range[1], range[0] + (long)page * LINE, LINE));
        }
        assertEquals(AckDecoder.TEMPLATE_ID, client.write(link, range[1], range[0], pattern(77)).templateId());
        assertArrayEquals(pattern(77), client.readData(link, range[1], range[0], LINE));
    }

    @Test
    void shouldReleaseEverythingWhenTheProcessLeaves()
    {
        final long[] range = client.allocate(64 * 1024);
        final ServerLink link = client.connect(node.endpoint());
        client.write(link, range[1], range[0], pattern(9));
        assertEquals(AckDecoder.TEMPLATE_ID, client.unregister().templateId());
        assertEquals(0, node.usedPages());
    }

    @Test
    void shouldRecoverPagesAndVmasAfterARestartFromItsFiles()
    {
        final long[] range = client.allocate(64 * 1024);
        ServerLink link = client.connect(node.endpoint());
        final byte[] page = pattern(5);
        client.write(link, range[1], range[0] + 3L * LINE, page);
        final int nodeId = node.nodeId();
        node.close();
        node = launchNode(4L << 20);
        assertEquals(nodeId, node.nodeId(), "the node asked for its persisted id");
        assertEquals(1, node.usedPages());
        link = client.connect(node.endpoint());
        assertArrayEquals(page, client.readData(link, range[1], range[0] + 3L * LINE, LINE));
    }

    @Test
    void shouldRefuseToAllocateBeyondTheClustersCapacity()
    {
        final long[] range = client.allocate(8L << 20);
        assertEquals(-ErrorCode.CAPACITY_EXCEEDED.value(), range[1]);
    }

    private static byte[] pattern(final int seed)
    {
        final byte[] page = new byte[LINE];
        Arrays.fill(page, (byte)seed);
        page[0] = (byte)(seed * 31);
        return page;
    }
}
