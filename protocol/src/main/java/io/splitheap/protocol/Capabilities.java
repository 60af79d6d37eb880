package io.splitheap.protocol;

import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.security.ClusterSecret;
import io.splitheap.protocol.security.Hmac;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Capabilities derived from a capability key: {@code HMAC-SHA256(secret-derived "capabilities" key, incarnation)},
 * where the incarnation is a random number the coordinator draws at start and tells nodes when they register (so a
 * restarted coordinator issues new capabilities). The key itself never travels. A process's secret is
 * {@code HMAC-SHA256(key, "proc" || pid)} truncated to 64 bits: the coordinator hands it to the process at
 * registration and memory nodes verify it without any shared table. The coordinator's own requests to nodes carry the
 * token {@code HMAC-SHA256(key, "coordinator")}.
 */
public final class Capabilities
{
    /**
     * Length of a cluster key in bytes.
     */
    public static final int KEY_LENGTH = 32;

    private final SecretKeySpec key;
    private final long coordinatorToken;

    /**
     * Capabilities for a key.
     *
     * @param clusterKey the key bytes.
     */
    public Capabilities(final byte[] clusterKey)
    {
        if (clusterKey == null || clusterKey.length != KEY_LENGTH)
        {
            throw new SplitheapException("cluster key must be " + KEY_LENGTH + " bytes");
        }
        this.key = new SecretKeySpec(clusterKey.clone(), "HmacSHA256");
        this.coordinatorToken = mac("coordinator".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * The capabilities of a cluster incarnation.
     *
     * @param secret      the cluster secret.
     * @param incarnation the coordinator's incarnation.
     * @return capabilities.
     */
    public static Capabilities of(final ClusterSecret secret, final long incarnation)
    {
        final byte[] value = new byte[Long.BYTES];
        for (int i = 0; i < Long.BYTES; i++)
        {
            value[i] = (byte)(incarnation >>> (56 - 8 * i));
        }
        return new Capabilities(Hmac.compute(secret.derive("capabilities"), value));
    }

    /**
     * A random incarnation number for a coordinator start.
     *
     * @return the number.
     */
    public static long newIncarnation()
    {
        return new SecureRandom().nextLong();
    }

    /**
     * The secret of a process.
     *
     * @param pid the cluster-wide process id.
     * @return its secret.
     */
    public long processSecret(final int pid)
    {
        final byte[] message = {'p', 'r', 'o', 'c', (byte)(pid >>> 24), (byte)(pid >>> 16), (byte)(pid >>> 8),
            (byte)pid};
        return mac(message);
    }

    /**
     * The token the coordinator puts in its requests to nodes.
     *
     * @return token.
     */
    public long coordinatorToken()
    {
        return coordinatorToken;
    }

    private long mac(final byte[] message)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            final byte[] digest = mac.doFinal(message);
            long value = 0;
            for (int i = 0; i < Long.BYTES; i++)
            {
                value = (value << 8) | (digest[i] & 0xFF);
            }
            return value;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new SplitheapException("HmacSHA256 unavailable", SplitheapException.Category.FATAL, ex);
        }
    }
}
