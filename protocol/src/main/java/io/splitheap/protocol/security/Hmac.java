package io.splitheap.protocol.security;

import io.splitheap.protocol.exceptions.SplitheapException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * HMAC-SHA256 from the JDK: one-shot helpers for key derivation and handshakes.
 */
public final class Hmac
{
    /**
     * Length of an HMAC-SHA256 in bytes.
     */
    public static final int LENGTH = 32;

    static final String ALGORITHM = "HmacSHA256";

    private Hmac()
    {
    }

    /**
     * A new MAC instance keyed with {@code key}.
     *
     * @param key the key.
     * @return the instance (not thread-safe).
     */
    public static Mac newMac(final byte[] key)
    {
        try
        {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new SplitheapException(ALGORITHM + " unavailable", SplitheapException.Category.FATAL, ex);
        }
    }

    /**
     * {@code HMAC-SHA256(key, parts[0] || parts[1] || ...)}.
     *
     * @param key   the key.
     * @param parts the message, in pieces.
     * @return 32 bytes.
     */
    public static byte[] compute(final byte[] key, final byte[]... parts)
    {
        final Mac mac = newMac(key);
        for (final byte[] part : parts)
        {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /**
     * A label as bytes.
     *
     * @param text ASCII text.
     * @return its bytes.
     */
    public static byte[] label(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
