package io.splitheap.agent.excache;

import org.agrona.UnsafeApi;

import java.lang.reflect.Array;

/**
 * The eight primitive element types a far array can have, with what the runtime needs to know about each.
 */
public enum ElementType
{
    /**
     * {@code boolean[]}: one byte per element, 0 or 1.
     */
    BOOLEAN(boolean.class, 0),
    /**
     * {@code byte[]}.
     */
    BYTE(byte.class, 0),
    /**
     * {@code char[]}.
     */
    CHAR(char.class, 1),
    /**
     * {@code short[]}.
     */
    SHORT(short.class, 1),
    /**
     * {@code int[]}.
     */
    INT(int.class, 2),
    /**
     * {@code float[]}.
     */
    FLOAT(float.class, 2),
    /**
     * {@code long[]}.
     */
    LONG(long.class, 3),
    /**
     * {@code double[]}.
     */
    DOUBLE(double.class, 3);

    private static final ElementType[] VALUES = values();

    private final Class<?> componentType;
    private final Class<?> arrayType;
    private final int shift;
    private final long baseOffset;
    private final Object empty;

    ElementType(final Class<?> componentType, final int shift)
    {
        this.componentType = componentType;
        this.arrayType = Array.newInstance(componentType, 0).getClass();
        this.shift = shift;
        this.baseOffset = UnsafeApi.arrayBaseOffset(arrayType);
        this.empty = Array.newInstance(componentType, 0);
    }

    /**
     * The element type of an array object.
     *
     * @param array an array or any object.
     * @return its element type, or null if it is not a primitive array.
     */
    public static ElementType of(final Object array)
    {
        final Class<?> type = array.getClass();
        for (final ElementType elementType : VALUES)
        {
            if (elementType.arrayType == type)
            {
                return elementType;
            }
        }
        return null;
    }

    /**
     * The element type of an array class.
     *
     * @param arrayType a class.
     * @return its element type, or null if it is not a primitive array class.
     */
    public static ElementType ofClass(final Class<?> arrayType)
    {
        for (final ElementType elementType : VALUES)
        {
            if (elementType.arrayType == arrayType)
            {
                return elementType;
            }
        }
        return null;
    }

    /**
     * log2 of the element size.
     *
     * @return shift.
     */
    public int shift()
    {
        return shift;
    }

    /**
     * The array class.
     *
     * @return for example {@code long[].class}.
     */
    public Class<?> arrayType()
    {
        return arrayType;
    }

    /**
     * Offset of element 0 in a heap array of this type.
     *
     * @return byte offset.
     */
    public long baseOffset()
    {
        return baseOffset;
    }

    /**
     * The name the JVM uses in its messages ({@code long}, {@code boolean}, ...).
     *
     * @return name.
     */
    public String javaName()
    {
        return componentType.getName();
    }

    /**
     * A new heap array.
     *
     * @param length elements.
     * @return the array.
     */
    public Object newHeapArray(final int length)
    {
        return Array.newInstance(componentType, length);
    }

    /**
     * A new zero-length array: the identity a far array shows to the heap.
     *
     * @return a fresh empty array (never shared).
     */
    public Object newPlaceholder()
    {
        return Array.newInstance(componentType, 0);
    }

    /**
     * A shared empty array of this type.
     *
     * @return the array.
     */
    public Object empty()
    {
        return empty;
    }
}
