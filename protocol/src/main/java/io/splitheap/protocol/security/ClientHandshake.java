package io.splitheap.protocol.security;

import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ConnectEncoder;
import io.splitheap.protocol.codecs.ConnectReplyDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.KeyPair;
import java.security.SecureRandom;

/**
 * The client's side of one link's handshake. {@code Connect} carries a fresh nonce and X25519 key and a MAC under the
 * secret's handshake key, which proves to the server that the client holds the cluster secret; the server's
 * {@code ConnectReply} proves the same of the server and completes the key agreement. One instance per attempt.
 */
public final class ClientHandshake
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HandshakeKeys keys;
    private final KeyPair keyPair = X25519.newKeyPair();
    private final byte[] nonce = new byte[32];
    private final byte[] connectMac = new byte[Hmac.LENGTH];
    private long correlationId;

    /**
     * A new attempt.
     *
     * @param keys the secret's handshake keys.
     */
    public ClientHandshake(final HandshakeKeys keys)
    {
        this.keys = keys;
        RANDOM.nextBytes(nonce);
    }

    /**
     * Encodes the {@code Connect}.
     *
     * @param buffer        where to write it, at index 0 (backed by an array).
     * @param correlationId the request's id.
     * @param sessionId     Aeron session id of the publication that carries it (binds the handshake to it).
     * @param replyStreamId stream for replies.
     * @param replyChannel  channel for replies.
     * @param nowMs         wall clock.
     * @return its length.
     */
    public int encodeConnect(
        final UnsafeBuffer buffer,
        final long correlationId,
        final int sessionId,
        final int replyStreamId,
        final String replyChannel,
        final long nowMs)
    {
        this.correlationId = correlationId;
        final ConnectEncoder encoder = new ConnectEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .replyStreamId(replyStreamId)
            .keyId(keys.keyId())
            .sessionId(sessionId)
            .timestampMs(nowMs)
            .putNonce(nonce, 0, nonce.length)
            .putPublicKey(X25519.encode(keyPair.getPublic()), 0, X25519.KEY_LENGTH)
            .putMac(new byte[Hmac.LENGTH], 0, Hmac.LENGTH)
            .replyChannel(replyChannel);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final byte[] mac = keys.connectMac(buffer, 0, length);
        System.arraycopy(mac, 0, connectMac, 0, mac.length);
        buffer.putBytes(MessageHeaderEncoder.ENCODED_LENGTH + ConnectEncoder.macEncodingOffset(), mac);
        return length;
    }

    /**
     * The correlation id of the {@code Connect} this attempt sent.
     *
     * @return the id.
     */
    public long correlationId()
    {
        return correlationId;
    }

    /**
     * Checks the server's {@code ConnectReply} and completes the key agreement.
     *
     * @param buffer holding the reply.
     * @param offset where it starts.
     * @param length its length.
     * @return the session's keys, or null if the reply does not prove the server holds the secret.
     */
    public SessionKeys onReply(final DirectBuffer buffer, final int offset, final int length)
    {
        final ConnectReplyDecoder decoder = new ConnectReplyDecoder();
        decoder.wrapAndApplyHeader(buffer, offset, new MessageHeaderDecoder());
        if (decoder.correlationId() != correlationId || !keys.acceptMacMatches(connectMac, buffer, offset, length))
        {
            return null;
        }
        final byte[] serverNonce = new byte[32];
        final byte[] serverKey = new byte[X25519.KEY_LENGTH];
        decoder.getNonce(serverNonce, 0, serverNonce.length);
        decoder.getPublicKey(serverKey, 0, serverKey.length);
        final byte[] shared = X25519.agree(keyPair, serverKey);
        if (shared == null)
        {
            return null;
        }
        return SessionKeys.derive(keys.sessionSalt(), shared, nonce, serverNonce, connectMac,
            decoder.messageAuth() == BooleanType.TRUE);
    }
}
