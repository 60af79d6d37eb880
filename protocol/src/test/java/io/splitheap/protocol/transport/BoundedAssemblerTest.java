package io.splitheap.protocol.transport;

import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BoundedAssemblerTest
{
    private static final int AUTHENTICATED = 7;
    private static final int STRANGER = 9;

    private final List<byte[]> delivered = new ArrayList<>();
    private final BoundedAssembler assembler = new BoundedAssembler(0, (buffer, offset, length, header, key) ->
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        delivered.add(bytes);
    }, key -> key == AUTHENTICATED);

    @Test
    void shouldReassembleAnAuthenticatedSessionsLargeMessage()
    {
        final byte[] message = pattern(100 * 1024);
        send(AUTHENTICATED, message, 8192);

        assertEquals(1, delivered.size());
        assertArrayEquals(message, delivered.get(0));
        assertEquals(0, assembler.dropped());
    }

    @Test
    void shouldDropAStrangersMessageBeyondAHandshakeAndGoOn()
    {
        send(STRANGER, pattern(5000), 1000);
        assertEquals(0, delivered.size(), "5,000 bytes before authenticating: dropped");
        assertEquals(1, assembler.dropped());

        final byte[] small = pattern(900);
        send(STRANGER, small, 500);
        assertEquals(1, delivered.size(), "the next message of the session is assembled again");
        assertArrayEquals(small, delivered.get(0));
    }

    @Test
    void shouldPassUnfragmentedMessagesAndIgnoreStrayFragments()
    {
        final byte[] whole = pattern(300);
        fragment(STRANGER, whole, 0, whole.length, FrameDescriptor.UNFRAGMENTED);
        fragment(STRANGER, whole, 0, 100, FrameDescriptor.END_FRAG_FLAG);
        fragment(STRANGER, whole, 0, 100, (byte)0);
        assertEquals(1, delivered.size());
        assertArrayEquals(whole, delivered.get(0));
    }

    private void send(final int sessionId, final byte[] message, final int fragmentLength)
    {
        for (int at = 0; at < message.length; at += fragmentLength)
        {
            final int length = Math.min(fragmentLength, message.length - at);
            byte flags = 0;
            flags |= at == 0 ? FrameDescriptor.BEGIN_FRAG_FLAG : 0;
            flags |= at + length == message.length ? FrameDescriptor.END_FRAG_FLAG : 0;
            fragment(sessionId, message, at, length, flags);
        }
    }

    private void fragment(final int sessionId, final byte[] message, final int at, final int length, final byte flags)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[DataHeaderFlyweight.HEADER_LENGTH + length]);
        final DataHeaderFlyweight header = new DataHeaderFlyweight(frame);
        header.sessionId(sessionId).flags(flags).frameLength(DataHeaderFlyweight.HEADER_LENGTH + length);
        frame.putBytes(DataHeaderFlyweight.HEADER_LENGTH, message, at, length);
        final Header aeronHeader = new Header(0, 16);
        aeronHeader.buffer(frame);
        aeronHeader.offset(0);
        assembler.onFragment(frame, DataHeaderFlyweight.HEADER_LENGTH, length, aeronHeader);
    }

    private static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        return bytes;
    }
}
