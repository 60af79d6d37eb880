package io.splitheap.protocol.security;

import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ConnectDecoder;
import io.splitheap.protocol.codecs.ConnectReplyEncoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server's side of handshakes: checks that a {@code Connect} was made with the cluster secret, is fresh (its clock
 * within {@link #CLOCK_WINDOW_MS} of ours) and was not seen before (its nonce is remembered for the window), then
 * answers with the server's half of the key agreement. Single-threaded, on the server's polling thread.
 */
public final class ServerHandshake
{
    /**
     * How far a client's clock may be from the server's.
     */
    public static final long CLOCK_WINDOW_MS = TimeUnit.MINUTES.toMillis(5);

    /**
     * Most nonces remembered; beyond it new handshakes are refused until old ones age out.
     */
    public static final int MAX_REMEMBERED_NONCES = 1 << 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HandshakeKeys keys;
    private final LinkedHashMap<ByteBuffer, Long> seenNonces = new LinkedHashMap<>();
    private final ConnectDecoder decoder = new ConnectDecoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectReplyEncoder replyEncoder = new ConnectReplyEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

    /**
     * Handshakes under a secret.
     *
     * @param keys the secret's handshake keys.
     */
    public ServerHandshake(final HandshakeKeys keys)
    {
        this.keys = keys;
    }

    /**
     * What a client offered in a {@code Connect} that passed every check.
     */
    public static final class ClientHello
    {
        private final byte[] nonce;
        private final byte[] publicKey;
        private final byte[] connectMac;
        private SessionKeys sessionKeys;

        ClientHello(final byte[] nonce, final byte[] publicKey, final byte[] connectMac)
        {
            this.nonce = nonce;
            this.publicKey = publicKey;
            this.connectMac = connectMac;
        }

        /**
         * The session's keys, once the reply was encoded.
         *
         * @return keys or null.
         */
        public SessionKeys sessionKeys()
        {
            return sessionKeys;
        }
    }

    /**
     * Thrown (without a stack trace) when a {@code Connect} is refused.
     */
    public static final class Refusal extends Exception
    {
        private static final long serialVersionUID = 1L;

        Refusal(final String reason)
        {
            super(reason, null, false, false);
        }
    }

    /**
     * Checks a well-formed {@code Connect}.
     *
     * @param buffer holding it.
     * @param offset where it starts.
     * @param length    its length.
     * @param sessionId Aeron session id it arrived on: a Connect replayed on another session is refused.
     * @param nowMs     wall clock.
     * @return the client's offer.
     * @throws Refusal naming why it was refused.
     */
    public ClientHello check(
        final DirectBuffer buffer, final int offset, final int length, final int sessionId, final long nowMs)
        throws Refusal
    {
        decoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        if (decoder.keyId() != keys.keyId())
        {
            throw new Refusal("client holds another cluster secret (key id " + String.format("%08x", decoder.keyId()) +
                ", this cluster's is " + String.format("%08x", keys.keyId()) + ")");
        }
        if (!keys.connectMacMatches(buffer, offset, length))
        {
            throw new Refusal("bad handshake MAC (not made with this cluster's secret)");
        }
        if (decoder.sessionId() != sessionId)
        {
            throw new Refusal("handshake made for session " + decoder.sessionId() + " arrived on session " + sessionId +
                " (replayed)");
        }
        final long skewMs = decoder.timestampMs() - nowMs;
        if (Math.abs(skewMs) > CLOCK_WINDOW_MS)
        {
            throw new Refusal("client clock is " + skewMs / 1000 + " s off this host's (more than " +
                CLOCK_WINDOW_MS / 1000 + " s): synchronise the clocks");
        }
        final byte[] nonce = new byte[32];
        final byte[] publicKey = new byte[X25519.KEY_LENGTH];
        final byte[] mac = new byte[Hmac.LENGTH];
        decoder.getNonce(nonce, 0, nonce.length);
        decoder.getPublicKey(publicKey, 0, publicKey.length);
        decoder.getMac(mac, 0, mac.length);
        forgetOldNonces(nowMs);
        final ByteBuffer nonceKey = ByteBuffer.wrap(nonce);
        if (seenNonces.containsKey(nonceKey))
        {
            throw new Refusal("replayed handshake (nonce already used)");
        }
        if (seenNonces.size() >= MAX_REMEMBERED_NONCES)
        {
            throw new Refusal("too many handshakes in " + CLOCK_WINDOW_MS / 1000 + " s");
        }
        seenNonces.put(nonceKey, nowMs);
        return new ClientHello(nonce, publicKey, mac);
    }

    /**
     * Encodes the {@code ConnectReply} to an accepted {@code Connect} and derives the session's keys
     * ({@link ClientHello#sessionKeys()}).
     *
     * @param buffer        where to write, at index 0.
     * @param correlationId the {@code Connect}'s id.
     * @param hello         the client's offer.
     * @param messageAuth   whether later messages carry tags.
     * @return the reply's length, or -1 if the client's key is invalid.
     */
    public int encodeReply(
        final UnsafeBuffer buffer, final long correlationId, final ClientHello hello, final boolean messageAuth)
    {
        final KeyPair keyPair = X25519.newKeyPair();
        final byte[] shared = X25519.agree(keyPair, hello.publicKey);
        if (shared == null)
        {
            return -1;
        }
        final byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        replyEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .messageAuth(messageAuth ? BooleanType.TRUE : BooleanType.FALSE)
            .putNonce(nonce, 0, nonce.length)
            .putPublicKey(X25519.encode(keyPair.getPublic()), 0, X25519.KEY_LENGTH)
            .putMac(new byte[Hmac.LENGTH], 0, Hmac.LENGTH);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + replyEncoder.encodedLength();
        buffer.putBytes(MessageHeaderEncoder.ENCODED_LENGTH + ConnectReplyEncoder.macEncodingOffset(),
            keys.acceptMac(hello.connectMac, buffer, 0, length));
        hello.sessionKeys = SessionKeys.derive(
            keys.sessionSalt(), shared, hello.nonce, nonce, hello.connectMac, messageAuth);
        return length;
    }

    private void forgetOldNonces(final long nowMs)
    {
        final Iterator<Map.Entry<ByteBuffer, Long>> entries = seenNonces.entrySet().iterator();
        while (entries.hasNext())
        {
            if (nowMs - entries.next().getValue() <= 2 * CLOCK_WINDOW_MS)
            {
                break;
            }
            entries.remove();
        }
    }
}
