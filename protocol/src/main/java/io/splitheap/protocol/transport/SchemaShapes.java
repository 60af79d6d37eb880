package io.splitheap.protocol.transport;

import org.agrona.collections.IntArrayList;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import static io.splitheap.protocol.transport.SchemaTypes.children;
import static io.splitheap.protocol.transport.SchemaTypes.kind;
import static io.splitheap.protocol.transport.SchemaTypes.offsetOr;

/**
 * The structure of every message of the SBE schema, flattened into arrays once so that {@link MessageValidator}
 * walks a message without allocating. Built from the schema XML and cross-checked against the generated decoders.
 * <p>
 * The header holds (offset, primitive) of blockLength, templateId, schemaId and version, in that order.
 * A message or group body is a run of ops in {@link #ops}, in schema order:
 * <pre>
 *   var data: VAR, name, sinceVersion, lengthOffset, lengthPrimitive, headerLength, maxLength
 *   group:    GROUP, name, sinceVersion, blockId, blockLengthOffset, blockLengthPrimitive,
 *             numInGroupOffset, numInGroupPrimitive, headerLength, bodyOps; followed by the body's ops
 * </pre>
 * A fixed block (a message's or a group entry's) has a minimum length for each acting version and a run of enum
 * checks in {@link #enumChecks}: offset, primitive, sinceVersion, enumId, name.
 */
final class SchemaShapes
{
    static final int HEADER_BLOCK_LENGTH = 0;
    static final int HEADER_TEMPLATE_ID = 2;
    static final int HEADER_SCHEMA_ID = 4;
    static final int HEADER_VERSION = 6;
    static final int OP_VAR = 1;
    static final int OP_GROUP = 2;
    static final int NAME = 1;
    static final int SINCE = 2;
    static final int VAR_LENGTH_OFFSET = 3;
    static final int VAR_LENGTH_PRIMITIVE = 4;
    static final int VAR_HEADER_LENGTH = 5;
    static final int VAR_MAX_LENGTH = 6;
    static final int VAR_OP_LENGTH = 7;
    static final int GROUP_BLOCK = 3;
    static final int GROUP_BLOCK_LENGTH_OFFSET = 4;
    static final int GROUP_BLOCK_LENGTH_PRIMITIVE = 5;
    static final int GROUP_NUM_OFFSET = 6;
    static final int GROUP_NUM_PRIMITIVE = 7;
    static final int GROUP_HEADER_LENGTH = 8;
    static final int GROUP_BODY_OPS = 9;
    static final int GROUP_OP_LENGTH = 10;
    static final int ENUM_OFFSET = 0;
    static final int ENUM_PRIMITIVE = 1;
    static final int ENUM_SINCE = 2;
    static final int ENUM_ID = 3;
    static final int ENUM_NAME = 4;
    static final int ENUM_CHECK_LENGTH = 5;

    final ByteOrder byteOrder;
    final int schemaId;
    final int schemaVersion;
    final int headerLength;
    final int[] header = new int[8];
    final int[] templateSlots;
    final int[] templateIds;
    final int[] templateBlocks;
    final int[] templateOpStarts;
    final int[] templateOpEnds;
    final int[] templateCorrelationOffsets;
    final int[] blockMinLengths;
    final int[] blockEnumStarts;
    final int[] blockEnumEnds;
    final int[] enumChecks;
    final long[][] enumValues;
    final String[] enumNames;
    final int[] ops;
    final String[] names;

    private final SchemaTypes types;
    private final String codecPackage;
    private final List<Object[]> expectations = new ArrayList<>();
    private final IntArrayList opList = new IntArrayList();
    private final IntArrayList blockMins = new IntArrayList();
    private final IntArrayList blockEnums = new IntArrayList();
    private final IntArrayList enumList = new IntArrayList();
    private final List<String> nameList = new ArrayList<>();

    private SchemaShapes(final Element schema, final String codecPackage)
    {
        this.codecPackage = codecPackage;
        final List<Element> typesElements = new ArrayList<>();
        final List<Element> messages = new ArrayList<>();
        for (final Element child : children(schema))
        {
            if ("types".equals(kind(child)))
            {
                typesElements.add(child);
            }
            else if ("message".equals(kind(child)))
            {
                messages.add(child);
            }
            else
            {
                throw new IllegalStateException("schema: unsupported element=" + child.getTagName());
            }
        }
        types = new SchemaTypes(typesElements);
        byteOrder = "bigEndian".equals(schema.getAttribute("byteOrder")) ?
            ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        schemaId = Integer.parseInt(schema.getAttribute("id"));
        schemaVersion = intAttribute(schema, "version", 0);
        final String headerType = schema.getAttribute("headerType").isEmpty() ?
            "messageHeader" : schema.getAttribute("headerType");
        headerLength = types.sizeOf(headerType);
        final String[] headerMembers = { "blockLength", "templateId", "schemaId", "version" };
        for (int i = 0; i < headerMembers.length; i++)
        {
            header[2 * i] = types.offsetOf(headerType, headerMembers[i]);
            header[2 * i + 1] = unsigned(types.primitiveOf(headerType, headerMembers[i]), headerType);
        }
        final String headerClass = className(headerType);
        expect(headerClass, "ENCODED_LENGTH", headerLength);
        expect(headerClass, "SCHEMA_ID", schemaId);
        expect(headerClass, "SCHEMA_VERSION", schemaVersion);
        expect(headerClass, "BYTE_ORDER", byteOrder);

        final int count = messages.size();
        templateIds = new int[count];
        templateBlocks = new int[count];
        templateOpStarts = new int[count];
        templateOpEnds = new int[count];
        templateCorrelationOffsets = new int[count];
        int maxTemplateId = 0;
        for (int slot = 0; slot < count; slot++)
        {
            maxTemplateId = Math.max(maxTemplateId, addMessage(messages.get(slot), slot));
        }
        templateSlots = new int[maxTemplateId + 1];
        Arrays.fill(templateSlots, -1);
        for (int slot = 0; slot < count; slot++)
        {
            if (templateSlots[templateIds[slot]] >= 0)
            {
                throw new IllegalStateException("schema: duplicate templateId=" + templateIds[slot]);
            }
            templateSlots[templateIds[slot]] = slot;
        }

        ops = opList.toIntArray();
        names = nameList.toArray(new String[0]);
        blockMinLengths = blockMins.toIntArray();
        blockEnumStarts = new int[blockEnums.size() / 2];
        blockEnumEnds = new int[blockEnums.size() / 2];
        for (int block = 0; block < blockEnumStarts.length; block++)
        {
            blockEnumStarts[block] = blockEnums.getInt(2 * block);
            blockEnumEnds[block] = blockEnums.getInt(2 * block + 1);
        }
        enumChecks = enumList.toIntArray();
        enumValues = new long[types.enumCount()][];
        enumNames = new String[types.enumCount()];
        for (int id = 0; id < enumValues.length; id++)
        {
            enumValues[id] = types.enumValues(id);
            enumNames[id] = types.enumName(id);
        }
    }

    /**
     * Parses the schema with the JDK's own DOM parser, refusing DOCTYPEs and external entities, and checks the shapes
     * against the generated decoders.
     *
     * @param in           the schema XML.
     * @param codecPackage package of the generated codecs as this class sees it (it may be relocated by shading).
     * @return the shapes.
     * @throws IllegalStateException if the schema uses what the validator does not support or the decoders
     *                               disagree with it.
     */
    static SchemaShapes load(final InputStream in, final String codecPackage)
    {
        try
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(true);
            final Document document = factory.newDocumentBuilder().parse(in);
            final SchemaShapes shapes = new SchemaShapes(document.getDocumentElement(), codecPackage);
            shapes.verifyDecoders();
            return shapes;
        }
        catch (final IllegalStateException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("schema: cannot read the SBE schema: " + ex, ex);
        }
    }

    private int addMessage(final Element message, final int slot)
    {
        final int templateId = Integer.parseInt(message.getAttribute("id"));
        final String decoderClass = className(message.getAttribute("name"));
        templateIds[slot] = templateId;
        templateBlocks[slot] = addBlock(message, decoderClass);
        templateCorrelationOffsets[slot] = correlationOffset(message);
        templateOpStarts[slot] = opList.size();
        addBody(message, decoderClass);
        templateOpEnds[slot] = opList.size();
        expect(decoderClass, "TEMPLATE_ID", templateId);
        expect(decoderClass, "SCHEMA_ID", schemaId);
        expect(decoderClass, "SCHEMA_VERSION", schemaVersion);
        expect(decoderClass, "BLOCK_LENGTH", schemaBlockLength(templateBlocks[slot]));
        return templateId;
    }

    private int correlationOffset(final Element message)
    {
        for (final Element field : children(message))
        {
            if ("field".equals(kind(field)))
            {
                final boolean isCorrelationId = "correlationId".equals(field.getAttribute("name")) &&
                    SchemaTypes.INT64 == types.simplePrimitive(field.getAttribute("type")) &&
                    0 == offsetOr(field, 0) && 0 == intAttribute(field, "sinceVersion", 0) &&
                    !"constant".equals(field.getAttribute("presence"));
                return isCorrelationId ? 0 : -1;
            }
        }
        return -1;
    }

    private int addBlock(final Element container, final String decoderClass)
    {
        final int blockId = blockEnums.size() / 2;
        final int[] mins = new int[schemaVersion + 1];
        final IntArrayList found = new IntArrayList();
        blockEnums.addInt(enumList.size() / ENUM_CHECK_LENGTH);
        int running = 0;
        for (final Element field : children(container))
        {
            if (!"field".equals(kind(field)))
            {
                continue;
            }
            final String type = field.getAttribute("type");
            final boolean constant = "constant".equals(field.getAttribute("presence"));
            final int offset = offsetOr(field, running);
            final int size = constant ? 0 : types.sizeOf(type);
            final int since = intAttribute(field, "sinceVersion", 0);
            running = offset + size;
            for (int version = since; version <= schemaVersion; version++)
            {
                mins[version] = Math.max(mins[version], running);
            }
            final String property = propertyName(field.getAttribute("name"));
            expect(decoderClass, property + "EncodingOffset", offset);
            expect(decoderClass, property + "EncodingLength", size);
            if (!constant)
            {
                found.clear();
                types.collectEnums(type, offset, found);
                for (int i = 0; i < found.size(); i += 3)
                {
                    enumList.addInt(found.getInt(i));
                    enumList.addInt(found.getInt(i + 1));
                    enumList.addInt(since);
                    enumList.addInt(found.getInt(i + 2));
                    enumList.addInt(name(field.getAttribute("name")));
                }
            }
        }
        mins[schemaVersion] = Math.max(mins[schemaVersion], intAttribute(container, "blockLength", 0));
        blockEnums.addInt(enumList.size() / ENUM_CHECK_LENGTH);
        for (final int min : mins)
        {
            blockMins.addInt(min);
        }
        return blockId;
    }

    private void addBody(final Element container, final String decoderClass)
    {
        for (final Element child : children(container))
        {
            final String name = child.getAttribute("name");
            final int since = intAttribute(child, "sinceVersion", 0);
            if ("data".equals(kind(child)))
            {
                final String type = child.getAttribute("type");
                final int lengthPrimitive = unsigned(types.primitiveOf(type, "length"), type);
                final int headerLength = types.offsetOf(type, "varData");
                expect(decoderClass, propertyName(name) + "HeaderLength", headerLength);
                opList.addInt(OP_VAR);
                opList.addInt(name(name));
                opList.addInt(since);
                opList.addInt(types.offsetOf(type, "length"));
                opList.addInt(lengthPrimitive);
                opList.addInt(headerLength);
                opList.addInt(maxLength(type, lengthPrimitive));
            }
            else if ("group".equals(kind(child)))
            {
                addGroup(child, name, since, decoderClass + "$" + decoderName(name));
            }
        }
    }

    private void addGroup(final Element group, final String name, final int since, final String groupClass)
    {
        final String dimension = group.getAttribute("dimensionType").isEmpty() ?
            "groupSizeEncoding" : group.getAttribute("dimensionType");
        final int blockId = addBlock(group, groupClass);
        final int headerLength = types.sizeOf(dimension);
        expect(groupClass, "sbeHeaderSize", headerLength);
        expect(groupClass, "sbeBlockLength", schemaBlockLength(blockId));
        final int at = opList.size();
        opList.addInt(OP_GROUP);
        opList.addInt(name(name));
        opList.addInt(since);
        opList.addInt(blockId);
        opList.addInt(types.offsetOf(dimension, "blockLength"));
        opList.addInt(unsigned(types.primitiveOf(dimension, "blockLength"), dimension));
        opList.addInt(types.offsetOf(dimension, "numInGroup"));
        opList.addInt(unsigned(types.primitiveOf(dimension, "numInGroup"), dimension));
        opList.addInt(headerLength);
        opList.addInt(0);
        addBody(group, groupClass);
        opList.setInt(at + GROUP_BODY_OPS, opList.size() - at - GROUP_OP_LENGTH);
    }

    private int maxLength(final String varType, final int lengthPrimitive)
    {
        final String maxValue = types.member(varType, "length").getAttribute("maxValue");
        final long primitiveMax = SchemaTypes.UINT8 == lengthPrimitive ?
            0xFEL : SchemaTypes.UINT16 == lengthPrimitive ? 0xFFFEL : 0xFFFF_FFFEL;
        final long max = maxValue.isEmpty() ? primitiveMax : Long.parseLong(maxValue);
        return (int)Math.min(max, Integer.MAX_VALUE);
    }

    private static int unsigned(final int primitive, final String composite)
    {
        if (SchemaTypes.UINT8 != primitive && SchemaTypes.UINT16 != primitive && SchemaTypes.UINT32 != primitive)
        {
            throw new IllegalStateException(
                "schema: composite=" + composite + " needs uint8, uint16 or uint32 members");
        }
        return primitive;
    }

    private int name(final String name)
    {
        nameList.add(name);
        return nameList.size() - 1;
    }

    private static int intAttribute(final Element element, final String name, final int defaultValue)
    {
        final String value = element.getAttribute(name);
        return value.isEmpty() ? defaultValue : Integer.parseInt(value);
    }

    private int schemaBlockLength(final int blockId)
    {
        return blockMins.getInt(blockId * (schemaVersion + 1) + schemaVersion);
    }

    private String className(final String schemaName)
    {
        return codecPackage + "." + decoderName(schemaName);
    }

    private static String decoderName(final String schemaName)
    {
        return Character.toUpperCase(schemaName.charAt(0)) + schemaName.substring(1) + "Decoder";
    }

    private static String propertyName(final String schemaName)
    {
        return Character.toLowerCase(schemaName.charAt(0)) + schemaName.substring(1);
    }

    private void expect(final String className, final String member, final Object value)
    {
        expectations.add(new Object[]{ className, member, value });
    }

    private void verifyDecoders()
    {
        final StringBuilder mismatches = new StringBuilder();
        for (final Object[] expectation : expectations)
        {
            final String className = (String)expectation[0];
            final String member = (String)expectation[1];
            Object actual;
            try
            {
                final Class<?> decoder = Class.forName(className, false, SchemaShapes.class.getClassLoader());
                if (Character.isUpperCase(member.charAt(0)))
                {
                    final Field field = decoder.getField(member);
                    actual = field.get(null);
                }
                else
                {
                    final Method method = decoder.getMethod(member);
                    actual = method.invoke(null);
                }
            }
            catch (final ReflectiveOperationException ex)
            {
                actual = ex.toString();
            }
            if (!expectation[2].equals(actual))
            {
                mismatches.append(' ').append(className.substring(codecPackage.length() + 1)).append('.')
                    .append(member).append(": schema=").append(expectation[2]).append(" decoder=").append(actual);
            }
        }
        if (mismatches.length() > 0)
        {
            throw new IllegalStateException("schema and generated decoders disagree; rebuild the codecs:" + mismatches);
        }
    }
}
