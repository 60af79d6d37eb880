package io.splitheap.protocol.security;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HmacSha256Test
{
    @Test
    void shouldComputeWhatTheJdkComputes()
    {
        final SplittableRandom random = new SplittableRandom(2026);
        for (final int keyLength : new int[]{1, 32, 63, 64, 65, 200})
        {
            final byte[] key = bytes(random, keyLength);
            final HmacSha256 mac = new HmacSha256(key);
            for (int message = 0; message < 20; message++)
            {
                final byte[] first = bytes(random, random.nextInt(300));
                final byte[] second = bytes(random, random.nextInt(5000));
                mac.update(first, 0, first.length);
                mac.update(second, 0, second.length);
                final byte[] out = new byte[Hmac.LENGTH + 3];
                mac.doFinal(out, 3);
                assertArrayEquals(Hmac.compute(key, first, second), Arrays.copyOfRange(out, 3, out.length),
                    "key length " + keyLength + ", message " + message);
            }
        }
    }

    @Test
    void shouldNotAllocatePerMessage()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final HmacSha256 mac = new HmacSha256(new byte[32]);
        final byte[] message = new byte[4096];
        final byte[] out = new byte[Hmac.LENGTH];
        for (int i = 0; i < 20_000; i++)
        {
            mac.update(message, 0, message.length);
            mac.doFinal(out, 0);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++)
        {
            mac.update(message, 0, message.length);
            mac.doFinal(out, 0);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "10,000 MACs allocated " + allocated + " bytes");
    }

    private static byte[] bytes(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        return bytes;
    }
}
