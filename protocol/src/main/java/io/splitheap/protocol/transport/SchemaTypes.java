package io.splitheap.protocol.transport;

import org.agrona.collections.IntArrayList;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code <types>} of an SBE schema as the validator needs them: encoded sizes, the primitive of a length or
 * count, and the valid values of every enum. Used once, while {@link SchemaShapes} is built.
 */
final class SchemaTypes
{
    static final int UINT8 = 1;
    static final int UINT16 = 2;
    static final int UINT32 = 3;
    static final int UINT64 = 4;
    static final int INT8 = 5;
    static final int INT16 = 6;
    static final int INT32 = 7;
    static final int INT64 = 8;
    static final int FLOAT = 9;
    static final int DOUBLE = 10;

    private static final String[] PRIMITIVES =
        { "char", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "float", "double" };
    private static final int[] PRIMITIVE_CODES =
        { UINT8, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FLOAT, DOUBLE };
    private static final int[] PRIMITIVE_SIZES = { 1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8 };

    private final Map<String, Element> byName = new HashMap<>();
    private final Map<Element, Integer> enumIds = new HashMap<>();
    private final List<long[]> enumValues = new ArrayList<>();
    private final List<String> enumNames = new ArrayList<>();

    SchemaTypes(final List<Element> typesElements)
    {
        for (final Element types : typesElements)
        {
            for (final Element type : children(types))
            {
                byName.put(type.getAttribute("name"), type);
            }
        }
    }

    /**
     * Encoded size of a named type or primitive.
     *
     * @param name the type name as in a field's {@code type} attribute.
     * @return size in bytes.
     */
    int sizeOf(final String name)
    {
        final int primitive = primitiveIndex(name);
        return primitive >= 0 ? PRIMITIVE_SIZES[primitive] : sizeOf(lookup(name));
    }

    /**
     * Encoded size of a type element, inline or named.
     *
     * @param type a {@code type}, {@code composite}, {@code enum}, {@code set} or {@code ref} element.
     * @return size in bytes; 0 for a constant.
     */
    int sizeOf(final Element type)
    {
        if ("constant".equals(type.getAttribute("presence")))
        {
            return 0;
        }
        switch (kind(type))
        {
            case "type":
                final String length = type.getAttribute("length");
                return sizeOf(type.getAttribute("primitiveType")) * (length.isEmpty() ? 1 : Integer.parseInt(length));
            case "enum":
            case "set":
                return sizeOf(type.getAttribute("encodingType"));
            case "ref":
                return sizeOf(type.getAttribute("type"));
            case "composite":
                int size = 0;
                int end = 0;
                for (final Element member : children(type))
                {
                    final int memberOffset = offsetOr(member, end);
                    end = memberOffset + sizeOf(member);
                    size = Math.max(size, end);
                }
                return size;
            default:
                throw new IllegalStateException("schema: unsupported type element=" + kind(type));
        }
    }

    /**
     * Offset of a member or field, explicit or following the previous one.
     *
     * @param element  the member or field.
     * @param running  where it starts if no {@code offset} attribute is given.
     * @return offset in bytes.
     */
    static int offsetOr(final Element element, final int running)
    {
        final String offset = element.getAttribute("offset");
        return offset.isEmpty() ? running : Integer.parseInt(offset);
    }

    /**
     * Primitive code of a member of a composite: the length of var data or the fields of a dimension.
     *
     * @param composite the composite, named.
     * @param member    the member's name.
     * @return {@link #UINT8}, ...; fails if there is no such member.
     */
    int primitiveOf(final String composite, final String member)
    {
        final Element element = member(composite, member);
        final String primitive = "ref".equals(kind(element)) ?
            lookup(element.getAttribute("type")).getAttribute("primitiveType") : element.getAttribute("primitiveType");
        final int index = primitiveIndex(primitive);
        if (index < 0)
        {
            throw new IllegalStateException(
                "schema: composite=" + composite + " member=" + member + " has no primitive");
        }
        return PRIMITIVE_CODES[index];
    }

    /**
     * Offset of a member inside a named composite.
     *
     * @param composite the composite.
     * @param member    the member's name.
     * @return offset in bytes; fails if there is no such member.
     */
    int offsetOf(final String composite, final String member)
    {
        int end = 0;
        for (final Element element : children(lookup(composite)))
        {
            final int offset = offsetOr(element, end);
            if (member.equals(element.getAttribute("name")))
            {
                return offset;
            }
            end = offset + sizeOf(element);
        }
        throw new IllegalStateException("schema: composite=" + composite + " has no member=" + member);
    }

    /**
     * A member of a named composite.
     *
     * @param composite the composite.
     * @param member    the member's name.
     * @return the member element; fails if there is none.
     */
    Element member(final String composite, final String member)
    {
        for (final Element element : children(lookup(composite)))
        {
            if (member.equals(element.getAttribute("name")))
            {
                return element;
            }
        }
        throw new IllegalStateException("schema: composite=" + composite + " has no member=" + member);
    }

    /**
     * Collects the enums a type holds at an offset, for the checks a generated decoder's enum accessors need.
     *
     * @param typeName the field's type (primitive or named).
     * @param offset   where the type starts in its block.
     * @param out      receives (offset, primitive code, enum id) triples.
     */
    void collectEnums(final String typeName, final int offset, final IntArrayList out)
    {
        if (primitiveIndex(typeName) < 0)
        {
            collectEnums(lookup(typeName), offset, out);
        }
    }

    private void collectEnums(final Element type, final int offset, final IntArrayList out)
    {
        if ("constant".equals(type.getAttribute("presence")))
        {
            return;
        }
        if ("enum".equals(kind(type)))
        {
            out.addInt(offset);
            out.addInt(encodingPrimitive(type));
            out.addInt(enumId(type));
        }
        else if ("ref".equals(kind(type)))
        {
            collectEnums(type.getAttribute("type"), offset, out);
        }
        else if ("composite".equals(kind(type)))
        {
            int end = 0;
            for (final Element member : children(type))
            {
                final int memberOffset = offsetOr(member, end);
                collectEnums(member, offset + memberOffset, out);
                end = memberOffset + sizeOf(member);
            }
        }
    }

    long[] enumValues(final int enumId)
    {
        return enumValues.get(enumId);
    }

    String enumName(final int enumId)
    {
        return enumNames.get(enumId);
    }

    int enumCount()
    {
        return enumValues.size();
    }

    private int enumId(final Element enumType)
    {
        final Integer known = enumIds.get(enumType);
        if (null != known)
        {
            return known;
        }
        final boolean isChar = "char".equals(encodingPrimitiveName(enumType));
        final List<Element> valid = children(enumType);
        final long[] values = new long[valid.size() + 1];
        for (int i = 0; i < valid.size(); i++)
        {
            final String text = valid.get(i).getTextContent().trim();
            values[i] = isChar ? text.charAt(0) : Long.parseLong(text);
        }
        values[valid.size()] = nullValue(enumType);
        enumIds.put(enumType, enumValues.size());
        enumValues.add(values);
        enumNames.add(enumType.getAttribute("name"));
        return enumValues.size() - 1;
    }

    private long nullValue(final Element enumType)
    {
        final String encoding = enumType.getAttribute("encodingType");
        final Element named = primitiveIndex(encoding) < 0 ? lookup(encoding) : null;
        if (null != named && !named.getAttribute("nullValue").isEmpty())
        {
            return Long.parseLong(named.getAttribute("nullValue"));
        }
        switch (encodingPrimitiveName(enumType))
        {
            case "char":
                return 0;
            case "uint8":
                return 0xFF;
            case "uint16":
                return 0xFFFF;
            case "int8":
                return Byte.MIN_VALUE;
            case "int16":
                return Short.MIN_VALUE;
            default:
                throw new IllegalStateException("schema: unsupported enum=" + enumType.getAttribute("name") +
                    " encodingType=" + encoding);
        }
    }

    private int encodingPrimitive(final Element enumType)
    {
        return PRIMITIVE_CODES[primitiveIndex(encodingPrimitiveName(enumType))];
    }

    private String encodingPrimitiveName(final Element enumType)
    {
        final String encoding = enumType.getAttribute("encodingType");
        return primitiveIndex(encoding) >= 0 ? encoding : lookup(encoding).getAttribute("primitiveType");
    }

    /**
     * The primitive code of a field type if it is a primitive or a simple type, else -1.
     *
     * @param typeName the field's type.
     * @return code or -1.
     */
    int simplePrimitive(final String typeName)
    {
        int index = primitiveIndex(typeName);
        if (index < 0)
        {
            final Element type = lookup(typeName);
            if ("type".equals(kind(type)) && type.getAttribute("length").isEmpty())
            {
                index = primitiveIndex(type.getAttribute("primitiveType"));
            }
        }
        return index < 0 ? -1 : PRIMITIVE_CODES[index];
    }

    private Element lookup(final String name)
    {
        final Element type = byName.get(name);
        if (null == type)
        {
            throw new IllegalStateException("schema: unknown type=" + name);
        }
        return type;
    }

    private static int primitiveIndex(final String name)
    {
        for (int i = 0; i < PRIMITIVES.length; i++)
        {
            if (PRIMITIVES[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * The local name of an element, without a namespace prefix.
     *
     * @param element the element.
     * @return e.g. {@code message} for {@code sbe:message}.
     */
    static String kind(final Element element)
    {
        return null != element.getLocalName() ? element.getLocalName() : element.getTagName();
    }

    /**
     * The element children of an element, in document order.
     *
     * @param parent the element.
     * @return its child elements.
     */
    static List<Element> children(final Element parent)
    {
        final List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); null != node; node = node.getNextSibling())
        {
            if (Node.ELEMENT_NODE == node.getNodeType())
            {
                children.add((Element)node);
            }
        }
        return children;
    }
}
