package io.splitheap.guardfixtures.lib;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Stands for a library outside the rewritten scope (a JSON mapper, a codec): it reaches the application's arrays by
 * reflection, through fields, collections and arguments, and hands them on to the JDK. Under the agent it is guarded.
 */
public final class OutsideLibrary
{
    private static byte[] kept;

    private OutsideLibrary()
    {
    }

    /**
     * Describes an object as a JSON mapper would: every field by reflection, primitive arrays through
     * {@code java.lang.reflect.Array}, byte arrays by casting and indexing, rows of {@code int[][]} element by element.
     *
     * @param object any object.
     * @return the description.
     * @throws IllegalAccessException never (fields are made accessible).
     */
    public static String describe(final Object object) throws IllegalAccessException
    {
        final StringBuilder out = new StringBuilder("{");
        for (final Field field : object.getClass().getDeclaredFields())
        {
            if (Modifier.isStatic(field.getModifiers()))
            {
                continue;
            }
            field.setAccessible(true);
            final Object value = field.get(object);
            out.append(field.getName()).append('=');
            if (value instanceof byte[])
            {
                final byte[] bytes = (byte[])value;
                long sum = 0;
                for (int i = 0; i < bytes.length; i++)
                {
                    sum = sum * 31 + bytes[i];
                }
                out.append("bytes(").append(bytes.length).append(',').append(sum).append(')');
            }
            else if (value instanceof int[][])
            {
                long sum = 0;
                for (final int[] row : (int[][])value)
                {
                    for (final int element : row)
                    {
                        sum += element;
                    }
                }
                out.append("rows(").append(((int[][])value).length).append(',').append(sum).append(')');
            }
            else if (value != null && value.getClass().isArray())
            {
                final int length = Array.getLength(value);
                out.append("array(").append(length);
                for (int i = 0; i < Math.min(length, 3); i++)
                {
                    out.append(',').append(Array.get(value, length - 1 - i));
                }
                out.append(')');
            }
            else if (value instanceof List)
            {
                long total = 0;
                for (final Object element : (List<?>)value)
                {
                    total += ((long[])element).length + ((long[])element)[((long[])element).length - 1];
                }
                out.append("list(").append(total).append(')');
            }
            else
            {
                out.append(value);
            }
            out.append(';');
        }
        return out.append('}').toString();
    }

    /**
     * Sums an array handed over directly.
     *
     * @param values the array.
     * @return the sum.
     */
    public static long sum(final int[] values)
    {
        long sum = 0;
        for (final int value : values)
        {
            sum += value;
        }
        return sum;
    }

    /**
     * Keeps an array for later.
     *
     * @param bytes the array.
     */
    public static void keep(final byte[] bytes)
    {
        kept = bytes;
    }

    /**
     * What the JDK makes of the kept array: its text, CRC and a sorted copy's ends, and a copy made with
     * {@code System.arraycopy} and written into.
     *
     * @return the description.
     */
    public static String useKept()
    {
        final CRC32 crc = new CRC32();
        crc.update(kept);
        final byte[] sorted = Arrays.copyOf(kept, kept.length);
        Arrays.sort(sorted);
        final byte[] copy = new byte[kept.length];
        System.arraycopy(kept, 0, copy, 0, kept.length);
        kept[0] = 42;
        return new String(kept, 0, Math.min(12, kept.length), StandardCharsets.ISO_8859_1) + " crc=" + crc.getValue() +
            " min=" + sorted[0] + " max=" + sorted[sorted.length - 1] + " copy0=" + copy[0];
    }

    /**
     * Arrays taken out of a list of objects, as a generic container would hold them.
     *
     * @param objects the list.
     * @return the arrays' lengths and last elements, and their text.
     */
    public static String fromObjects(final List<Object> objects)
    {
        final List<String> parts = new ArrayList<>();
        for (final Object object : objects)
        {
            if (object instanceof double[])
            {
                final double[] doubles = (double[])object;
                parts.add(doubles.length + ":" + doubles[doubles.length - 1] + ":" + Arrays.toString(doubles).length());
            }
            else if (object instanceof char[])
            {
                parts.add(String.valueOf((char[])object));
            }
        }
        return parts.toString();
    }
}
