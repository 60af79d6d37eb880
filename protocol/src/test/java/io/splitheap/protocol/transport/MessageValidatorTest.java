package io.splitheap.protocol.transport;

import io.splitheap.protocol.codecs.AckEncoder;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ClusterStatusEncoder;
import io.splitheap.protocol.codecs.ConnectEncoder;
import io.splitheap.protocol.codecs.HeartbeatEncoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.RegisterProcessEncoder;
import io.splitheap.protocol.transport.SchemaModel.Message;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Examples for {@link MessageValidator}: the attack packets, every template, bounds, enums, the correlation id and
 * that a check allocates nothing.
 */
class MessageValidatorTest
{
    private static final ByteOrder ORDER = MessageHeaderDecoder.BYTE_ORDER;
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @Test
    void shouldRejectConnectWhoseReplyChannelLengthIsHuge()
    {
        new ConnectEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(77).replyStreamId(1002);
        final int lengthAt = HEADER_LENGTH + ConnectEncoder.BLOCK_LENGTH;
        buffer.putInt(lengthAt, 0x7fff_ffff, ORDER);
        final int size = lengthAt + 4 + 1;
        final UnsafeBuffer packet = exactly(size);

        assertEquals("templateId=1 field=replyChannel length=2147483647 exceeds remaining=1",
            MessageValidator.check(packet, 0, size));
        assertEquals(77, MessageValidator.correlationId(packet, 0, size));

        buffer.putInt(lengthAt, 0xffff_ffff, ORDER);
        assertEquals("templateId=1 field=replyChannel length=4294967295 exceeds remaining=1",
            MessageValidator.check(exactly(size), 0, size));
    }

    @Test
    void shouldRejectRegisterProcessWhoseHostNameLengthIsHuge()
    {
        new RegisterProcessEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(5).hostPid(4242);
        buffer.putInt(HEADER_LENGTH + RegisterProcessEncoder.BLOCK_LENGTH, 0x7fff_fff0, ORDER);
        final String reason = MessageValidator.check(exactly(29), 0, 29);

        assertEquals("templateId=12 field=hostName length=2147483632 exceeds remaining=1", reason);
    }

    @Test
    void shouldAcceptAndDecodeEveryTemplateOfTheSchema() throws Throwable
    {
        for (final Message template : SchemaModel.messages())
        {
            final Random random = new Random(template.id());
            for (int i = 0; i < 200; i++)
            {
                final byte[] message = ReflectiveCodecs.encode(template, random);
                assertNull(MessageValidatorFuzzTest.checkAndDecode(message), template.toString());
                final UnsafeBuffer buffer = new UnsafeBuffer(message);
                assertEquals(message.length, ReflectiveCodecs.decode(buffer, 0, message.length).end());
            }
        }
    }

    @Test
    void shouldNotAllocateWhileCheckingValidMessages()
    {
        final ClusterStatusEncoder status = new ClusterStatusEncoder().wrapAndApplyHeader(buffer, 0, header);
        status.correlationId(1).processes(2).nodesCount(2)
            .next().kind(NodeKind.MEMORY).alive(BooleanType.TRUE).connected(BooleanType.TRUE).endpoint("10.0.0.1:1")
            .next().kind(NodeKind.STORAGE).alive(BooleanType.FALSE).connected(BooleanType.TRUE).endpoint("");
        status.processListCount(0);
        status.regionsCount(0);
        final int length = HEADER_LENGTH + status.encodedLength();
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory
            .getThreadMXBean();
        checkManyTimes(length);
        final long before = threads.getCurrentThreadAllocatedBytes();
        final int accepted = checkManyTimes(length);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(100_000, accepted);
        assertTrue(allocated < 1024, "allocated=" + allocated);
    }

    @Test
    void shouldRejectRangesOutsideTheBuffer()
    {
        final int length = HEADER_LENGTH + new AckEncoder().wrapAndApplyHeader(buffer, 0, header).encodedLength();
        assertNull(MessageValidator.check(buffer, 0, length));

        assertTrue(MessageValidator.check(buffer, -1, length).startsWith("offset=-1 "));
        assertTrue(MessageValidator.check(buffer, 0, -1).startsWith("offset=0 length=-1 "));
        assertTrue(MessageValidator.check(buffer, 1, Integer.MAX_VALUE).contains("outside capacity=1024"));
        assertTrue(MessageValidator.check(buffer, 1020, 8).contains("outside capacity=1024"));
        assertEquals("length=7 shorter than header=8", MessageValidator.check(buffer, 0, 7));
        assertEquals(Long.MIN_VALUE, MessageValidator.correlationId(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void shouldRejectEnumValuesTheDecoderCannotMap()
    {
        final int heartbeat = HEADER_LENGTH + new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header)
            .kind(NodeKind.MEMORY).encodedLength();
        buffer.putByte(HEADER_LENGTH + HeartbeatEncoder.kindEncodingOffset(), (byte)9);
        assertEquals("templateId=14 field=kind value=9 not in enum=NodeKind",
            MessageValidator.check(buffer, 0, heartbeat));

        final ClusterStatusEncoder status = new ClusterStatusEncoder().wrapAndApplyHeader(buffer, 0, header);
        status.nodesCount(2)
            .next().kind(NodeKind.MEMORY).alive(BooleanType.TRUE).connected(BooleanType.TRUE).endpoint("a")
            .next().kind(NodeKind.MEMORY).alive(BooleanType.NULL_VAL).connected(BooleanType.TRUE).endpoint("b");
        status.processListCount(0);
        status.regionsCount(0);
        final int length = HEADER_LENGTH + status.encodedLength();
        assertNull(MessageValidator.check(buffer, 0, length));
        // before the two empty groups' headers, the last entry's endpoint ("b") and its fixed block
        final int secondEntry = length - 2 * 4 - 4 - 1 - ClusterStatusEncoder.NodesEncoder.sbeBlockLength();
        buffer.putByte(secondEntry + ClusterStatusEncoder.NodesEncoder.connectedEncodingOffset(), (byte)2);

        assertEquals("templateId=20 group=nodes index=1 field=connected value=2 not in enum=BooleanType",
            MessageValidator.check(buffer, 0, length));
    }

    @Test
    void shouldReadTheCorrelationIdOnlyWhenTheTemplateHasOneAndItFits()
    {
        final int ack = HEADER_LENGTH + new AckEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(-3).encodedLength();
        assertEquals(-3, MessageValidator.correlationId(buffer, 0, ack));
        assertEquals(Long.MIN_VALUE, MessageValidator.correlationId(buffer, 0, ack - 1));
        buffer.putShort(0, (short)7, ORDER);
        assertEquals(Long.MIN_VALUE, MessageValidator.correlationId(buffer, 0, ack));

        final int heartbeat = HEADER_LENGTH + new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header)
            .secret(99).encodedLength();
        assertEquals(Long.MIN_VALUE, MessageValidator.correlationId(buffer, 0, heartbeat));
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, MessageValidator.schemaVersion());
    }

    @Test
    void shouldRejectVarLengthAboveTheSchemaMaxValue(@TempDir final Path dir) throws Exception
    {
        final int maxValue = 1 << 30;
        final int length = HEADER_LENGTH + ConnectEncoder.BLOCK_LENGTH + 4 + maxValue + 1;
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("sparse").toFile(), "rw"))
        {
            file.setLength(length);
            final MappedByteBuffer mapped = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            try
            {
                final UnsafeBuffer huge = new UnsafeBuffer(mapped);
                new ConnectEncoder().wrapAndApplyHeader(huge, 0, header).correlationId(1);
                final int lengthAt = HEADER_LENGTH + ConnectEncoder.BLOCK_LENGTH;

                huge.putInt(lengthAt, maxValue, ORDER);
                assertNull(MessageValidator.check(huge, 0, length));
                huge.putInt(lengthAt, maxValue + 1, ORDER);
                assertEquals("templateId=1 field=replyChannel length=1073741825 exceeds maxValue=1073741824",
                    MessageValidator.check(huge, 0, length));
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
    }

    private int checkManyTimes(final int length)
    {
        int accepted = 0;
        for (int i = 0; i < 100_000; i++)
        {
            if (null == MessageValidator.check(buffer, 0, length))
            {
                accepted++;
            }
        }
        return accepted;
    }

    private UnsafeBuffer exactly(final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }
}
