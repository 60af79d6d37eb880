package io.splitheap.protocol.transport;

import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.transport.ReflectiveCodecs.Decoded;
import io.splitheap.protocol.transport.ReflectiveCodecs.Site;
import io.splitheap.protocol.transport.SchemaModel.Kind;
import io.splitheap.protocol.transport.SchemaModel.Message;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of {@link MessageValidator} over every template of the schema: valid messages pass and decode; broken
 * ones never make it throw, and whatever it accepts the generated decoders read completely within the message.
 * jqwik prints the seed of a failing property; {@code @Property(seed = "...")} replays it.
 */
class MessageValidatorFuzzTest
{
    private static final ByteOrder ORDER = MessageHeaderDecoder.BYTE_ORDER;
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int SCHEMA_ID_OFFSET = MessageHeaderDecoder.schemaIdEncodingOffset();
    private static final int VERSION_OFFSET = MessageHeaderDecoder.versionEncodingOffset();
    private static final int BLOCK_LENGTH_OFFSET = MessageHeaderDecoder.blockLengthEncodingOffset();

    @Provide
    Arbitrary<Message> templates()
    {
        return Arbitraries.of(SchemaModel.messages());
    }

    @Property(tries = 2000)
    void shouldAcceptAndFullyDecodeValidMessagesOfEveryTemplate(
        @ForAll("templates") final Message template,
        @ForAll final Random random,
        @ForAll @IntRange(max = 64) final int offset) throws Throwable
    {
        final byte[] message = ReflectiveCodecs.encode(template, random);
        final byte[] bytes = new byte[offset + message.length + random.nextInt(16)];
        random.nextBytes(bytes);
        System.arraycopy(message, 0, bytes, offset, message.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertNull(MessageValidator.check(buffer, offset, message.length));
        final Decoded decoded = ReflectiveCodecs.decode(buffer, offset, message.length);
        assertEquals(message.length, decoded.end());
        final boolean hasCorrelationId = "correlationId".equals(template.members().get(0).name());
        assertEquals(
            hasCorrelationId ? buffer.getLong(offset + HEADER_LENGTH, ORDER) : Long.MIN_VALUE,
            MessageValidator.correlationId(buffer, offset, message.length));
    }

    @Property(tries = 1000)
    void shouldRejectEveryTruncation(@ForAll("templates") final Message template, @ForAll final Random random)
    {
        final byte[] message = ReflectiveCodecs.encode(template, random);
        for (int length = 0; length < message.length; length++)
        {
            assertNotNull(checkAndDecode(Arrays.copyOf(message, length)), "length=" + length);
        }
    }

    @Property(tries = 5000)
    void shouldOnlyAcceptWhatDecodesAfterByteFlips(
        @ForAll("templates") final Message template,
        @ForAll final Random random,
        @ForAll @IntRange(min = 1, max = 6) final int flips)
    {
        final byte[] message = ReflectiveCodecs.encode(template, random);
        for (int i = 0; i < flips; i++)
        {
            final int index = random.nextBoolean() ? random.nextInt(message.length) : random.nextInt(HEADER_LENGTH);
            message[index] = random.nextBoolean() ?
                (byte)(message[index] ^ (1 << random.nextInt(8))) : (byte)random.nextInt(256);
        }
        collectVerdict(checkAndDecode(message));
        requireSomeAccepted();
    }

    @Property(tries = 2000)
    void shouldRejectHugeLengthsCountsAndBlockLengths(
        @ForAll("templates") final Message template, @ForAll final Random random) throws Throwable
    {
        final byte[] message = ReflectiveCodecs.encode(template, random);
        final Decoded decoded = ReflectiveCodecs.decode(new UnsafeBuffer(message), 0, message.length);
        for (final Site site : decoded.sites())
        {
            if (Kind.DATA == site.kind())
            {
                assertEquals(4, site.size(), "test writes uint32 lengths only; extend it");
                final long remaining = message.length - site.position() - 4L;
                for (final long length : new long[]{ 0x7fff_ffffL, 0xffff_ffffL, remaining + 1, 1073741825L })
                {
                    final String reason = checkAndDecode(withInt(message, site.position(), (int)length));
                    assertNotNull(reason, "length=" + length);
                    assertTrue(reason.contains("field=" + site.name() + " length=" + length), reason);
                }
            }
            else
            {
                final String countReason = checkAndDecode(withShort(message, site.position() + 2, 0xffff));
                assertTrue(null != countReason || 0 == site.size(), "numInGroup=65535 accepted");
                checkAndDecode(withShort(message, site.position(), 0xffff));
                for (final int blockLength : new int[]{ 0, site.size() - 1 })
                {
                    if (blockLength >= 0 && blockLength < site.size())
                    {
                        final String reason = checkAndDecode(withShort(message, site.position(), blockLength));
                        assertTrue(reason.contains("group=" + site.name() + " blockLength=" + blockLength), reason);
                    }
                }
            }
        }
    }

    @Property(tries = 1000)
    void shouldRejectHeadersThatDoNotMatchTheSchema(
        @ForAll("templates") final Message template, @ForAll final Random random)
    {
        final byte[] message = ReflectiveCodecs.encode(template, random);
        final int schemaBlockLength = new UnsafeBuffer(message).getShort(BLOCK_LENGTH_OFFSET, ORDER) & 0xFFFF;
        final int[] blockLengths = { 0, Math.max(0, schemaBlockLength - 1), 0xffff, random.nextInt(0x10000) };
        for (final int blockLength : blockLengths)
        {
            final String reason = checkAndDecode(withShort(message, BLOCK_LENGTH_OFFSET, blockLength));
            assertTrue(blockLength >= schemaBlockLength || reason.contains("blockLength=" + blockLength));
        }
        final int schemaId = (SCHEMA_ID + 1 + random.nextInt(0xfffe)) & 0xFFFF;
        assertTrue(checkAndDecode(withShort(message, SCHEMA_ID_OFFSET, schemaId)).startsWith("schemaId="));
        int templateId = random.nextInt(0x10000);
        while (isTemplate(templateId))
        {
            templateId = random.nextInt(0x10000);
        }
        assertTrue(checkAndDecode(withShort(message, TEMPLATE_ID_OFFSET, templateId)).contains(" unknown "));
        final int version = MessageValidator.schemaVersion() + 1 +
            random.nextInt(0xffff - MessageValidator.schemaVersion());
        assertTrue(checkAndDecode(withShort(message, VERSION_OFFSET, version)).contains("version=" + version));
        final int olderVersion = random.nextInt(MessageValidator.schemaVersion() + 1);
        assertNull(checkAndDecode(withShort(message, VERSION_OFFSET, olderVersion)));
    }

    @Property(tries = 1000)
    void shouldIgnoreBytesAfterTheMessage(
        @ForAll("templates") final Message template,
        @ForAll final Random random,
        @ForAll @Size(min = 1, max = 64) final byte[] garbage) throws Throwable
    {
        final byte[] message = ReflectiveCodecs.encode(template, random);
        final byte[] bytes = Arrays.copyOf(message, message.length + garbage.length);
        System.arraycopy(garbage, 0, bytes, message.length, garbage.length);
        assertNull(checkAndDecode(bytes));
        assertEquals(message.length, ReflectiveCodecs.decode(new UnsafeBuffer(bytes), 0, bytes.length).end());
    }

    @Property(tries = 5000)
    void shouldNeverFailOnRandomBytes(@ForAll @Size(max = 300) final byte[] bytes)
    {
        collectVerdict(checkAndDecode(bytes));
    }

    @Property(tries = 5000)
    void shouldOnlyAcceptWhatDecodesForRandomBodiesBehindAValidHeader(
        @ForAll("templates") final Message template,
        @ForAll @Size(max = 300) final byte[] body,
        @ForAll final Random random)
    {
        final byte[] valid = ReflectiveCodecs.encode(template, random);
        final byte[] bytes = Arrays.copyOf(valid, HEADER_LENGTH + body.length);
        System.arraycopy(body, 0, bytes, HEADER_LENGTH, body.length);
        if (random.nextBoolean())
        {
            System.arraycopy(valid, 0, bytes, 0, Math.min(valid.length, bytes.length));
            for (int i = HEADER_LENGTH; i < Math.min(valid.length, bytes.length); i++)
            {
                bytes[i] = random.nextInt(8) == 0 ? body[i - HEADER_LENGTH] : bytes[i];
            }
        }
        collectVerdict(checkAndDecode(bytes));
        requireSomeAccepted();
    }

    /**
     * Checks a message in a buffer of exactly its length; if accepted, decodes all of it with the generated decoder.
     *
     * @param bytes the message, exactly.
     * @return the validator's reason, null if it accepted the message.
     */
    static String checkAndDecode(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final String reason = MessageValidator.check(buffer, 0, bytes.length);
        MessageValidator.correlationId(buffer, 0, bytes.length);
        if (null == reason)
        {
            final Decoded decoded;
            try
            {
                decoded = ReflectiveCodecs.decode(buffer, 0, bytes.length);
            }
            catch (final Throwable ex)
            {
                throw new AssertionError("accepted, but the decoder failed on " + BitUtil.toHex(bytes), ex);
            }
            assertTrue(decoded.varBytes() <= bytes.length, "var bytes read=" + decoded.varBytes());
            assertTrue(decoded.end() <= bytes.length, "decoded to=" + decoded.end());
        }
        return reason;
    }

    private static void collectVerdict(final String reason)
    {
        Statistics.label("verdict").collect(null == reason ? "accepted" : reason.replaceAll("[0-9]+", "N"));
    }

    private static void requireSomeAccepted()
    {
        Statistics.label("verdict").coverage((checker) -> checker.check("accepted").percentage((p) -> p >= 5.0));
    }

    private static boolean isTemplate(final int templateId)
    {
        for (final Message message : SchemaModel.messages())
        {
            if (message.id() == templateId)
            {
                return true;
            }
        }
        return false;
    }

    private static byte[] withShort(final byte[] message, final int index, final int value)
    {
        final byte[] copy = message.clone();
        new UnsafeBuffer(copy).putShort(index, (short)value, ORDER);
        return copy;
    }

    private static byte[] withInt(final byte[] message, final int index, final int value)
    {
        final byte[] copy = message.clone();
        new UnsafeBuffer(copy).putInt(index, value, ORDER);
        return copy;
    }
}
