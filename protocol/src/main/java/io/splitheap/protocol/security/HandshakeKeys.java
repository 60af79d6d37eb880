package io.splitheap.protocol.security;

import io.splitheap.protocol.codecs.ConnectEncoder;
import io.splitheap.protocol.codecs.ConnectReplyEncoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;

/**
 * The keys a cluster secret gives handshakes: one to prove possession of the secret in {@code Connect} and
 * {@code ConnectReply}, one to salt session keys. Immutable; the MAC helpers create their own {@code Mac}.
 */
public final class HandshakeKeys
{
    private static final byte[] CONNECT = Hmac.label("splitheap connect v2");
    private static final byte[] ACCEPT = Hmac.label("splitheap accept v2");

    private final int keyId;
    private final byte[] handshakeKey;
    private final byte[] sessionSalt;

    /**
     * The keys of a secret.
     *
     * @param secret the cluster secret.
     */
    public HandshakeKeys(final ClusterSecret secret)
    {
        this.keyId = secret.keyId();
        this.handshakeKey = secret.derive("handshake");
        this.sessionSalt = secret.derive("session");
    }

    int keyId()
    {
        return keyId;
    }

    byte[] sessionSalt()
    {
        return sessionSalt;
    }

    /**
     * MAC of a {@code Connect} whose MAC field is zero.
     */
    byte[] connectMac(final DirectBuffer buffer, final int offset, final int length)
    {
        return macWithFieldZeroed(CONNECT, null, buffer, offset, length,
            MessageHeaderEncoder.ENCODED_LENGTH + ConnectEncoder.macEncodingOffset());
    }

    boolean connectMacMatches(final DirectBuffer buffer, final int offset, final int length)
    {
        final int macOffset = MessageHeaderEncoder.ENCODED_LENGTH + ConnectEncoder.macEncodingOffset();
        return equal(macWithFieldZeroed(CONNECT, null, buffer, offset, length, macOffset), buffer, offset + macOffset);
    }

    byte[] acceptMac(final byte[] connectMac, final DirectBuffer buffer, final int offset, final int length)
    {
        return macWithFieldZeroed(ACCEPT, connectMac, buffer, offset, length,
            MessageHeaderEncoder.ENCODED_LENGTH + ConnectReplyEncoder.macEncodingOffset());
    }

    boolean acceptMacMatches(final byte[] connectMac, final DirectBuffer buffer, final int offset, final int length)
    {
        final int macOffset = MessageHeaderEncoder.ENCODED_LENGTH + ConnectReplyEncoder.macEncodingOffset();
        return length >= macOffset + Hmac.LENGTH &&
            equal(acceptMac(connectMac, buffer, offset, length), buffer, offset + macOffset);
    }

    private byte[] macWithFieldZeroed(
        final byte[] label,
        final byte[] prefix,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int macOffset)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy, 0, length);
        java.util.Arrays.fill(copy, macOffset, macOffset + Hmac.LENGTH, (byte)0);
        return prefix == null ?
            Hmac.compute(handshakeKey, label, copy) : Hmac.compute(handshakeKey, label, prefix, copy);
    }

    private static boolean equal(final byte[] expected, final DirectBuffer buffer, final int index)
    {
        int difference = 0;
        for (int i = 0; i < expected.length; i++)
        {
            difference |= expected[i] ^ buffer.getByte(index + i);
        }
        return difference == 0;
    }
}
