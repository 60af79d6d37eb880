package io.splitheap.protocol.transport;

import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;

import static io.splitheap.protocol.transport.SchemaShapes.ENUM_CHECK_LENGTH;
import static io.splitheap.protocol.transport.SchemaShapes.ENUM_ID;
import static io.splitheap.protocol.transport.SchemaShapes.ENUM_NAME;
import static io.splitheap.protocol.transport.SchemaShapes.ENUM_OFFSET;
import static io.splitheap.protocol.transport.SchemaShapes.ENUM_PRIMITIVE;
import static io.splitheap.protocol.transport.SchemaShapes.ENUM_SINCE;
import static io.splitheap.protocol.transport.SchemaShapes.GROUP_BLOCK;
import static io.splitheap.protocol.transport.SchemaShapes.GROUP_BLOCK_LENGTH_OFFSET;
import static io.splitheap.protocol.transport.SchemaShapes.GROUP_BLOCK_LENGTH_PRIMITIVE;
import static io.splitheap.protocol.transport.SchemaShapes.GROUP_BODY_OPS;
import static io.splitheap.protocol.transport.SchemaShapes.GROUP_HEADER_LENGTH;
import static io.splitheap.protocol.transport.SchemaShapes.GROUP_NUM_OFFSET;
import static io.splitheap.protocol.transport.SchemaShapes.GROUP_NUM_PRIMITIVE;
import static io.splitheap.protocol.transport.SchemaShapes.GROUP_OP_LENGTH;
import static io.splitheap.protocol.transport.SchemaShapes.HEADER_BLOCK_LENGTH;
import static io.splitheap.protocol.transport.SchemaShapes.HEADER_SCHEMA_ID;
import static io.splitheap.protocol.transport.SchemaShapes.HEADER_TEMPLATE_ID;
import static io.splitheap.protocol.transport.SchemaShapes.HEADER_VERSION;
import static io.splitheap.protocol.transport.SchemaShapes.NAME;
import static io.splitheap.protocol.transport.SchemaShapes.OP_VAR;
import static io.splitheap.protocol.transport.SchemaShapes.SINCE;
import static io.splitheap.protocol.transport.SchemaShapes.VAR_HEADER_LENGTH;
import static io.splitheap.protocol.transport.SchemaShapes.VAR_LENGTH_OFFSET;
import static io.splitheap.protocol.transport.SchemaShapes.VAR_LENGTH_PRIMITIVE;
import static io.splitheap.protocol.transport.SchemaShapes.VAR_MAX_LENGTH;
import static io.splitheap.protocol.transport.SchemaShapes.VAR_OP_LENGTH;

/**
 * Checks that a received message is well formed before any generated decoder touches it, so that no length, count
 * or block length an attacker chose makes a decoder allocate or read out of bounds.
 * <p>
 * Walks the message as the SBE schema {@code /splitheap-codecs.xml} on the classpath describes it: the message
 * header, the fixed block, then every repeating group (dimension header and each entry) and every var-data field in
 * schema order, for the acting version in the header. Every enum a generated decoder would refuse to map is
 * refused too. The schema is parsed once, at class initialisation, into arrays; a check allocates nothing unless it
 * fails, when it builds the reason.
 */
public final class MessageValidator
{
    private static final String SCHEMA_RESOURCE = "/splitheap-codecs.xml";
    private static final int FAILED = -1;
    private static final ByteOrder ORDER;
    private static final int SCHEMA_ID;
    private static final int SCHEMA_VERSION;
    private static final int VERSIONS;
    private static final int HEADER_LENGTH;
    private static final int[] HEADER;
    private static final int[] TEMPLATE_SLOTS;
    private static final int[] TEMPLATE_BLOCKS;
    private static final int[] TEMPLATE_OP_STARTS;
    private static final int[] TEMPLATE_OP_ENDS;
    private static final int[] CORRELATION_OFFSETS;
    private static final int[] BLOCK_MIN_LENGTHS;
    private static final int[] BLOCK_ENUM_STARTS;
    private static final int[] BLOCK_ENUM_ENDS;
    private static final int[] ENUM_CHECKS;
    private static final long[][] ENUM_VALUES;
    private static final String[] ENUM_NAMES;
    private static final int[] OPS;
    private static final String[] NAMES;
    private static final String EXCEEDS_REMAINING = " exceeds remaining=";
    private static final String BELOW_SCHEMA = " below schema=";

    static
    {
        final SchemaShapes shapes = loadShapes();
        ORDER = shapes.byteOrder;
        SCHEMA_ID = shapes.schemaId;
        SCHEMA_VERSION = shapes.schemaVersion;
        VERSIONS = SCHEMA_VERSION + 1;
        HEADER_LENGTH = shapes.headerLength;
        HEADER = shapes.header;
        TEMPLATE_SLOTS = shapes.templateSlots;
        TEMPLATE_BLOCKS = shapes.templateBlocks;
        TEMPLATE_OP_STARTS = shapes.templateOpStarts;
        TEMPLATE_OP_ENDS = shapes.templateOpEnds;
        CORRELATION_OFFSETS = shapes.templateCorrelationOffsets;
        BLOCK_MIN_LENGTHS = shapes.blockMinLengths;
        BLOCK_ENUM_STARTS = shapes.blockEnumStarts;
        BLOCK_ENUM_ENDS = shapes.blockEnumEnds;
        ENUM_CHECKS = shapes.enumChecks;
        ENUM_VALUES = shapes.enumValues;
        ENUM_NAMES = shapes.enumNames;
        OPS = shapes.ops;
        NAMES = shapes.names;
    }

    private MessageValidator()
    {
    }

    /**
     * Checks that a message is well formed for the schema.
     *
     * @param buffer holding the message.
     * @param offset where the message header starts.
     * @param length bytes received; the message must end at or before {@code offset + length}.
     * @return null if the message is well formed, else the reason as {@code key=value} facts.
     */
    public static String check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            return "offset=" + offset + " length=" + length + " outside capacity=" + buffer.capacity();
        }
        if (length < HEADER_LENGTH)
        {
            return "length=" + length + " shorter than header=" + HEADER_LENGTH;
        }
        final long schemaId = header(buffer, offset, HEADER_SCHEMA_ID);
        if (SCHEMA_ID != schemaId)
        {
            return "schemaId=" + schemaId + " expected=" + SCHEMA_ID;
        }
        final long templateId = header(buffer, offset, HEADER_TEMPLATE_ID);
        final int slot = templateId < TEMPLATE_SLOTS.length ? TEMPLATE_SLOTS[(int)templateId] : -1;
        if (slot < 0)
        {
            return "templateId=" + templateId + " unknown to schemaVersion=" + SCHEMA_VERSION;
        }
        final long version = header(buffer, offset, HEADER_VERSION);
        if (version > SCHEMA_VERSION)
        {
            return "templateId=" + templateId + " version=" + version + " above schemaVersion=" + SCHEMA_VERSION;
        }
        final long blockLength = header(buffer, offset, HEADER_BLOCK_LENGTH);
        final int minBlockLength = BLOCK_MIN_LENGTHS[TEMPLATE_BLOCKS[slot] * VERSIONS + (int)version];
        if (blockLength < minBlockLength)
        {
            return "templateId=" + templateId + " blockLength=" + blockLength + " below schema=" + minBlockLength;
        }
        final int blockStart = offset + HEADER_LENGTH;
        final int limit = offset + length;
        if (blockLength > limit - blockStart)
        {
            return "templateId=" + templateId + " blockLength=" + blockLength + " exceeds remaining=" +
                (limit - blockStart);
        }
        if (FAILED == walkMessage(buffer, slot, blockStart, (int)blockLength, limit, (int)version, null))
        {
            final StringBuilder reason = new StringBuilder(96).append("templateId=").append(templateId);
            walkMessage(buffer, slot, blockStart, (int)blockLength, limit, (int)version, reason);
            return reason.toString();
        }
        return null;
    }

    /**
     * The correlation id of a message whose template starts with an int64 {@code correlationId}, for answering a
     * malformed request. Trusts nothing but the header and that field.
     *
     * @param buffer holding the message.
     * @param offset where the message header starts.
     * @param length bytes received.
     * @return the correlation id, or {@link Long#MIN_VALUE} if the message has none or it does not fit.
     */
    public static long correlationId(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > buffer.capacity() ||
            SCHEMA_ID != header(buffer, offset, HEADER_SCHEMA_ID))
        {
            return Long.MIN_VALUE;
        }
        final long templateId = header(buffer, offset, HEADER_TEMPLATE_ID);
        final int slot = templateId < TEMPLATE_SLOTS.length ? TEMPLATE_SLOTS[(int)templateId] : -1;
        final int fieldOffset = slot < 0 ? -1 : CORRELATION_OFFSETS[slot];
        final int fieldEnd = fieldOffset + Long.BYTES;
        if (fieldOffset < 0 || header(buffer, offset, HEADER_BLOCK_LENGTH) < fieldEnd ||
            HEADER_LENGTH + fieldEnd > length)
        {
            return Long.MIN_VALUE;
        }
        return buffer.getLong(offset + HEADER_LENGTH + fieldOffset, ORDER);
    }

    /**
     * The schema version this validator accepts at most.
     *
     * @return the {@code version} of the schema.
     */
    public static int schemaVersion()
    {
        return SCHEMA_VERSION;
    }

    private static int walkMessage(
        final DirectBuffer buffer,
        final int slot,
        final int blockStart,
        final int blockLength,
        final int limit,
        final int version,
        final StringBuilder reason)
    {
        if (!enumsValid(buffer, TEMPLATE_BLOCKS[slot], blockStart, version, reason))
        {
            return FAILED;
        }
        return walk(buffer, TEMPLATE_OP_STARTS[slot], TEMPLATE_OP_ENDS[slot], blockStart + blockLength, limit, version,
            reason);
    }

    private static int walk(
        final DirectBuffer buffer,
        final int opStart,
        final int opEnd,
        final int start,
        final int limit,
        final int version,
        final StringBuilder reason)
    {
        int position = start;
        int op = opStart;
        while (op < opEnd && FAILED != position)
        {
            final boolean present = OPS[op + SINCE] <= version;
            if (OP_VAR == OPS[op])
            {
                position = present ? walkVar(buffer, op, position, limit, reason) : position;
                op += VAR_OP_LENGTH;
            }
            else
            {
                position = present ? walkGroup(buffer, op, position, limit, version, reason) : position;
                op += GROUP_OP_LENGTH + OPS[op + GROUP_BODY_OPS];
            }
        }
        return position;
    }

    private static int walkVar(
        final DirectBuffer buffer, final int op, final int position, final int limit, final StringBuilder reason)
    {
        final int headerLength = OPS[op + VAR_HEADER_LENGTH];
        if (headerLength > limit - position)
        {
            return fail(
                named(reason, " field=", op), " lengthHeader=", headerLength, EXCEEDS_REMAINING, limit - position);
        }
        final long length = read(buffer, position + OPS[op + VAR_LENGTH_OFFSET], OPS[op + VAR_LENGTH_PRIMITIVE]);
        final int remaining = limit - position - headerLength;
        if (length > remaining)
        {
            return fail(named(reason, " field=", op), " length=", length, EXCEEDS_REMAINING, remaining);
        }
        if (length > OPS[op + VAR_MAX_LENGTH])
        {
            return fail(
                named(reason, " field=", op), " length=", length, " exceeds maxValue=", OPS[op + VAR_MAX_LENGTH]);
        }
        return position + headerLength + (int)length;
    }

    private static int walkGroup(
        final DirectBuffer buffer,
        final int op,
        final int start,
        final int limit,
        final int version,
        final StringBuilder reason)
    {
        final int headerLength = OPS[op + GROUP_HEADER_LENGTH];
        if (headerLength > limit - start)
        {
            return fail(
                named(reason, " group=", op), " dimensionHeader=", headerLength, EXCEEDS_REMAINING, limit - start);
        }
        final long blockLength = read(buffer, start + OPS[op + GROUP_BLOCK_LENGTH_OFFSET],
            OPS[op + GROUP_BLOCK_LENGTH_PRIMITIVE]);
        final long count = read(buffer, start + OPS[op + GROUP_NUM_OFFSET], OPS[op + GROUP_NUM_PRIMITIVE]);
        final int block = OPS[op + GROUP_BLOCK];
        final int minBlockLength = BLOCK_MIN_LENGTHS[block * VERSIONS + version];
        int position = start + headerLength;
        if (blockLength < minBlockLength)
        {
            return fail(named(reason, " group=", op), " blockLength=", blockLength, BELOW_SCHEMA, minBlockLength);
        }
        if (blockLength > 0 && count > (limit - position) / blockLength)
        {
            if (null != reason)
            {
                reason.append(" group=").append(NAMES[OPS[op + NAME]]).append(" numInGroup=").append(count);
            }
            return fail(reason, " blockLength=", blockLength, EXCEEDS_REMAINING, limit - position);
        }
        final int bodyStart = op + GROUP_OP_LENGTH;
        final int bodyEnd = bodyStart + OPS[op + GROUP_BODY_OPS];
        if (bodyStart == bodyEnd && BLOCK_ENUM_STARTS[block] == BLOCK_ENUM_ENDS[block])
        {
            return position + (int)(count * blockLength);
        }
        for (long i = 0; i < count && FAILED != position; i++)
        {
            final int mark = null == reason ? 0 : reason.length();
            if (null != reason)
            {
                reason.append(" group=").append(NAMES[OPS[op + NAME]]).append(" index=").append(i);
            }
            if (blockLength > limit - position)
            {
                return fail(reason, " blockLength=", blockLength, EXCEEDS_REMAINING, limit - position);
            }
            if (!enumsValid(buffer, block, position, version, reason))
            {
                return FAILED;
            }
            position = walk(buffer, bodyStart, bodyEnd, position + (int)blockLength, limit, version, reason);
            if (null != reason && FAILED != position)
            {
                reason.setLength(mark);
            }
        }
        return position;
    }

    private static boolean enumsValid(
        final DirectBuffer buffer, final int block, final int blockStart, final int version, final StringBuilder reason)
    {
        for (int check = BLOCK_ENUM_STARTS[block] * ENUM_CHECK_LENGTH, end = BLOCK_ENUM_ENDS[block] * ENUM_CHECK_LENGTH;
            check < end;
            check += ENUM_CHECK_LENGTH)
        {
            if (ENUM_CHECKS[check + ENUM_SINCE] <= version)
            {
                final long value = read(buffer, blockStart + ENUM_CHECKS[check + ENUM_OFFSET],
                    ENUM_CHECKS[check + ENUM_PRIMITIVE]);
                if (!contains(ENUM_VALUES[ENUM_CHECKS[check + ENUM_ID]], value))
                {
                    if (null != reason)
                    {
                        reason.append(" field=").append(NAMES[ENUM_CHECKS[check + ENUM_NAME]])
                            .append(" value=").append(value)
                            .append(" not in enum=").append(ENUM_NAMES[ENUM_CHECKS[check + ENUM_ID]]);
                    }
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean contains(final long[] values, final long value)
    {
        for (final long candidate : values)
        {
            if (candidate == value)
            {
                return true;
            }
        }
        return false;
    }

    private static StringBuilder named(final StringBuilder reason, final String kind, final int op)
    {
        return null == reason ? null : reason.append(kind).append(NAMES[OPS[op + NAME]]);
    }

    private static int fail(
        final StringBuilder reason, final String what, final long value, final String relation, final long bound)
    {
        if (null != reason)
        {
            reason.append(what).append(value).append(relation).append(bound);
        }
        return FAILED;
    }

    private static long header(final DirectBuffer buffer, final int offset, final int field)
    {
        return read(buffer, offset + HEADER[field], HEADER[field + 1]);
    }

    private static long read(final DirectBuffer buffer, final int index, final int primitive)
    {
        switch (primitive)
        {
            case SchemaTypes.UINT8:
                return buffer.getByte(index) & 0xFFL;
            case SchemaTypes.UINT16:
                return buffer.getShort(index, ORDER) & 0xFFFFL;
            case SchemaTypes.UINT32:
                return buffer.getInt(index, ORDER) & 0xFFFF_FFFFL;
            case SchemaTypes.INT8:
                return buffer.getByte(index);
            case SchemaTypes.INT16:
                return buffer.getShort(index, ORDER);
            case SchemaTypes.INT32:
                return buffer.getInt(index, ORDER);
            default:
                return buffer.getLong(index, ORDER);
        }
    }

    private static SchemaShapes loadShapes()
    {
        try (InputStream in = MessageValidator.class.getResourceAsStream(SCHEMA_RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("schema: resource=" + SCHEMA_RESOURCE + " is not on the class path " +
                    "of " + MessageValidator.class.getName() + "; it must ship in the protocol jar");
            }
            return SchemaShapes.load(in, MessageHeaderDecoder.class.getPackageName());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("schema: cannot read resource=" + SCHEMA_RESOURCE + ": " + ex, ex);
        }
    }
}
