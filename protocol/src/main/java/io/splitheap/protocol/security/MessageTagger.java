package io.splitheap.protocol.security;

import org.agrona.DirectBuffer;

/**
 * Computes the tag of one message: {@code HMAC-SHA256(key, message || sequence)} truncated to 16 bytes. Reads the
 * message through a small scratch array, so it works on any {@link DirectBuffer} and allocates nothing.
 */
final class MessageTagger
{
    static final int TAG_LENGTH = 16;
    private static final int CHUNK = 8192;

    private final HmacSha256 mac;
    private final byte[] scratch = new byte[CHUNK];
    private final byte[] digest = new byte[Hmac.LENGTH];

    MessageTagger(final byte[] key)
    {
        this.mac = new HmacSha256(key);
    }

    /**
     * Computes the tag into {@link #digest()} (its first {@link #TAG_LENGTH} bytes).
     */
    void compute(final DirectBuffer buffer, final int offset, final int length, final long sequence)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            mac.update(array, buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            for (int done = 0; done < length; )
            {
                final int chunk = Math.min(CHUNK, length - done);
                buffer.getBytes(offset + done, scratch, 0, chunk);
                mac.update(scratch, 0, chunk);
                done += chunk;
            }
        }
        for (int i = 0; i < Long.BYTES; i++)
        {
            scratch[i] = (byte)(sequence >>> (8 * i));
        }
        mac.update(scratch, 0, Long.BYTES);
        mac.doFinal(digest, 0);
    }

    byte[] digest()
    {
        return digest;
    }

    /**
     * Compares the computed tag with the one stored in a buffer, in time that does not depend on where they differ.
     */
    boolean matches(final DirectBuffer buffer, final int tagOffset)
    {
        int difference = 0;
        for (int i = 0; i < TAG_LENGTH; i++)
        {
            difference |= digest[i] ^ buffer.getByte(tagOffset + i);
        }
        return difference == 0;
    }
}
