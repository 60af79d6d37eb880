package io.splitheap.agent.runtime;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code Arrays.deepEquals}, {@code deepHashCode} and {@code deepToString} for arrays whose rows (at any depth) may be
 * far: the JDK's algorithms, with every primitive row (far or not) compared, hashed and printed by
 * {@link FarJdkArrays}' block-wise helpers, which work on a far row where it lives. So a {@code long[][]} whose rows are larger than the heap or than {@code boundary.localize.max} compares
 * and hashes in bounded memory, and its rows stay far.
 */
public final class FarDeepArrays
{
    private FarDeepArrays()
    {
    }

    /**
     * {@code Arrays.deepEquals}.
     *
     * @param a first array.
     * @param b second array.
     * @return true if deeply equal.
     */
    public static boolean deepEquals(final Object[] a, final Object[] b)
    {
        if (a == b)
        {
            return true;
        }
        if (a == null || b == null || a.length != b.length)
        {
            return false;
        }
        for (int i = 0; i < a.length; i++)
        {
            final Object x = a[i];
            final Object y = b[i];
            if (x == y)
            {
                continue;
            }
            if (x == null || !elementsEqual(x, y))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code Arrays.deepHashCode}.
     *
     * @param array the array.
     * @return its deep hash code.
     */
    public static int deepHashCode(final Object[] array)
    {
        if (array == null)
        {
            return 0;
        }
        int result = 1;
        for (final Object element : array)
        {
            final int hash;
            if (element == null)
            {
                hash = 0;
            }
            else if (!element.getClass().isArray())
            {
                hash = element.hashCode();
            }
            else if (element instanceof Object[])
            {
                hash = deepHashCode((Object[])element);
            }
            else
            {
                hash = primitiveHashCode(element);
            }
            result = 31 * result + hash;
        }
        return result;
    }

    /**
     * {@code Arrays.deepToString}.
     *
     * @param array the array.
     * @return its deep text.
     */
    public static String deepToString(final Object[] array)
    {
        if (array == null)
        {
            return "null";
        }
        int capacity = 20 * array.length;
        if (array.length != 0 && capacity <= 0)
        {
            capacity = Integer.MAX_VALUE;
        }
        final StringBuilder text = new StringBuilder(capacity);
        deepToString(array, text, new HashSet<>());
        return text.toString();
    }

    private static void deepToString(final Object[] array, final StringBuilder text, final Set<Object[]> seen)
    {
        if (array.length == 0)
        {
            text.append("[]");
            return;
        }
        seen.add(array);
        text.append('[');
        for (int i = 0; i < array.length; i++)
        {
            if (i > 0)
            {
                text.append(", ");
            }
            final Object element = array[i];
            if (element == null)
            {
                text.append("null");
            }
            else if (!element.getClass().isArray())
            {
                text.append(element);
            }
            else if (element instanceof Object[])
            {
                if (seen.contains(element))
                {
                    text.append("[...]");
                }
                else
                {
                    deepToString((Object[])element, text, seen);
                }
            }
            else
            {
                text.append(primitiveToString(element));
            }
        }
        text.append(']');
        seen.remove(array);
    }

    private static boolean elementsEqual(final Object x, final Object y)
    {
        if (x instanceof Object[] && y instanceof Object[])
        {
            return deepEquals((Object[])x, (Object[])y);
        }
        if (x.getClass().isArray() && !(x instanceof Object[]) && y != null && x.getClass() == y.getClass())
        {
            return primitiveEquals(x, y);
        }
        return x.equals(y);
    }

    /**
     * Two primitive arrays of the same type, far or not, compared through {@link FarJdkArrays}' block-wise helpers.
     */
    private static boolean primitiveEquals(final Object x, final Object y)
    {
        return FarJdkArrays.equalsFar(x, y);
    }

    private static int primitiveHashCode(final Object array)
    {
        return FarJdkArrays.hashFar(array);
    }

    private static String primitiveToString(final Object array)
    {
        return FarJdkArrays.toStringFar(array);
    }
}
