package io.splitheap.guardfixtures.app;

import io.splitheap.guardfixtures.lib.OutsideLibrary;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Application code (rewritten: every primitive array far) whose arrays reach code outside the rewritten scope by
 * paths other than a direct argument to the JDK. Each program returns a text that must be the same with and
 * without the agent.
 */
public final class GuardPrograms
{
    private GuardPrograms()
    {
    }

    static String reflectiveMapper(final int n) throws IllegalAccessException
    {
        final Holder holder = new Holder(n);
        return OutsideLibrary.describe(holder);
    }

    static String directArgument(final int n)
    {
        final int[] values = ints(n);
        final long sum = OutsideLibrary.sum(values);
        values[n - 1] = 7;
        return sum + " " + OutsideLibrary.sum(values);
    }

    static String keptArray(final int n)
    {
        final byte[] bytes = text(n);
        OutsideLibrary.keep(bytes);
        bytes[1] = 'Z';
        final String used = OutsideLibrary.useKept();
        return used + " app0=" + bytes[0] + " last=" + bytes[n - 1];
    }

    static String objectsList(final int n)
    {
        final List<Object> objects = new ArrayList<>();
        final double[] doubles = new double[n];
        for (int i = 0; i < n; i++)
        {
            doubles[i] = i * 0.5;
        }
        final char[] chars = new char[Math.min(n, 40)];
        Arrays.fill(chars, 'q');
        chars[0] = 'Q';
        objects.add(doubles);
        objects.add("not an array");
        objects.add(chars);
        return OutsideLibrary.fromObjects(objects);
    }

    static String methodReferences(final int n)
    {
        final List<int[]> arrays = List.of(ints(n), ints(n + 1));
        final String texts = arrays.stream().map(Arrays::toString).map(s -> s.length() + ":" + s.hashCode())
            .collect(Collectors.joining(","));
        final Function<byte[], String> decode = String::new;
        final ToIntFunction<int[]> hash = Arrays::hashCode;
        final String decoded = decode.apply(text(n));
        return texts + " " + decoded.length() + ":" + decoded.hashCode() + " " + hash.applyAsInt(ints(n));
    }

    static String overriddenReturn(final int n) throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new FarKey(n));
        return HexFormat.of().formatHex(mac.doFinal(text(n)));
    }

    static String reflectiveInvoke(final int n) throws Exception
    {
        final byte[] bytes = text(n);
        final Object[] arguments = {bytes, StandardCharsets.ISO_8859_1};
        final String made = String.class.getConstructor(byte[].class, Charset.class).newInstance(arguments);
        final Object hash = Arrays.class.getMethod("hashCode", int[].class).invoke(null, (Object)ints(n));
        return made.length() + ":" + made.hashCode() + " " + hash + " same=" + (arguments[0] == bytes);
    }

    static String methodHandles(final int n) throws Throwable
    {
        final long[] longs = new long[n];
        for (int i = 0; i < n; i++)
        {
            longs[i] = i * 1_000_003L;
        }
        final MethodHandle hashCode = MethodHandles.lookup().findStatic(Arrays.class, "hashCode",
            MethodType.methodType(int.class, long[].class));
        final int hash = (int)hashCode.invokeExact(longs);
        final VarHandle view = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
        final byte[] bytes = text(n);
        final int word = (int)view.get(bytes, n - 4);
        view.set(bytes, 0, 0x41424344);
        final Slot slot = new Slot();
        final long[] first = slot.values;
        final long[] second = new long[n];
        final VarHandle field = MethodHandles.lookup().findVarHandle(Slot.class, "values", long[].class);
        final boolean swapped = field.compareAndSet(slot, first, second);
        final boolean again = field.compareAndSet(slot, first, second);
        return hash + " " + word + " " + bytes[0] + bytes[1] + bytes[2] + bytes[3] + " " + swapped + " " + again +
            " " + (slot.values == second) + " " + ((long[])field.get(slot) == second);
    }

    static String unsafeAccess(final int n) throws ReflectiveOperationException
    {
        final java.lang.reflect.Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        final sun.misc.Unsafe unsafe = (sun.misc.Unsafe)theUnsafe.get(null);
        final Slot slot = new Slot();
        final long[] first = slot.values;
        final long[] second = new long[n];
        for (int i = 0; i < n; i++)
        {
            second[i] = i * 3L;
        }
        final long offset = unsafe.objectFieldOffset(Slot.class.getDeclaredField("values"));
        final boolean swapped = unsafe.compareAndSwapObject(slot, offset, first, second);
        final long last = unsafe.getLong(second, (long)sun.misc.Unsafe.ARRAY_LONG_BASE_OFFSET + 8L * (n - 1));
        return swapped + " " + (slot.values == second) + " " + (unsafe.getObject(slot, offset) == second) + " " + last;
    }

    static int[] ints(final int n)
    {
        final int[] values = new int[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = i * 7 + 1;
        }
        return values;
    }

    static byte[] text(final int n)
    {
        final byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++)
        {
            bytes[i] = (byte)('a' + i % 26);
        }
        return bytes;
    }

    /**
     * A field swapped with compare-and-set.
     */
    static final class Slot
    {
        long[] values = new long[100];
    }

    /**
     * An object a mapper walks.
     */
    static final class Holder
    {
        private final byte[] data;
        private final int[][] rows;
        private final long[] longs;
        private final List<long[]> list;
        private final String name = "holder";

        Holder(final int n)
        {
            data = text(n);
            rows = new int[3][n];
            for (int r = 0; r < 3; r++)
            {
                for (int i = 0; i < n; i++)
                {
                    rows[r][i] = r + i;
                }
            }
            longs = new long[n];
            for (int i = 0; i < n; i++)
            {
                longs[i] = -i;
            }
            list = new ArrayList<>();
            list.add(new long[]{1, 2, 3});
            list.add(longs);
        }
    }

    /**
     * A key whose encoding is one of the application's (far) arrays: the JDK calls {@code getEncoded} and reads it.
     */
    static final class FarKey implements SecretKey
    {
        private static final long serialVersionUID = 1L;
        private final byte[] encoded;

        FarKey(final int n)
        {
            encoded = new byte[32];
            for (int i = 0; i < encoded.length; i++)
            {
                encoded[i] = (byte)(i * n + 3);
            }
        }

        @Override
        public String getAlgorithm()
        {
            return "HmacSHA256";
        }

        @Override
        public String getFormat()
        {
            return "RAW";
        }

        @Override
        public byte[] getEncoded()
        {
            return encoded;
        }
    }
}
