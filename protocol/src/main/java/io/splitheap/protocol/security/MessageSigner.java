package io.splitheap.protocol.security;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Signs the messages one side of a session sends: each gets a trailer carrying its sequence number and a tag over
 * the message and that number, under the direction's session key.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      message (SBE, as is)                    ...
 *  +---------------------------------------------------------------+
 *  |                   sequence (int64, little-endian)             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |        tag: HMAC-SHA256(key, message || sequence)[0..16)      |
 *  |                                                               |
 *  |                                                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Not thread-safe: the caller serialises {@link #sign} and {@link #sent()} with the publication's offers.
 */
public final class MessageSigner
{
    /**
     * Bytes a signed message carries after the message itself.
     */
    public static final int TRAILER_LENGTH = Long.BYTES + MessageTagger.TAG_LENGTH;

    private final MessageTagger tagger;
    private final UnsafeBuffer trailer = new UnsafeBuffer(new byte[TRAILER_LENGTH]);
    private long nextSequence = 1;

    /**
     * A signer.
     *
     * @param key the direction's session key.
     */
    public MessageSigner(final byte[] key)
    {
        this.tagger = new MessageTagger(key);
    }

    /**
     * Computes the trailer of the next message; offer the message and then the trailer, and call {@link #sent()}
     * once the offer succeeded (a failed offer is retried with the same trailer).
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @param length its length.
     * @return the trailer, {@link #TRAILER_LENGTH} bytes at index 0.
     */
    public DirectBuffer sign(final DirectBuffer buffer, final int offset, final int length)
    {
        tagger.compute(buffer, offset, length, nextSequence);
        trailer.putLong(0, nextSequence, ByteOrder.LITTLE_ENDIAN);
        trailer.putBytes(Long.BYTES, tagger.digest(), 0, MessageTagger.TAG_LENGTH);
        return trailer;
    }

    /**
     * Signs a message in place: writes its trailer right after it (the buffer must have room), for replies built in
     * a claimed region of the log.
     *
     * @param buffer holding the message, with {@link #TRAILER_LENGTH} bytes of room after it.
     * @param offset where it starts.
     * @param length its length without the trailer.
     */
    public void signInPlace(final UnsafeBuffer buffer, final int offset, final int length)
    {
        buffer.putBytes(offset + length, sign(buffer, offset, length), 0, TRAILER_LENGTH);
    }

    /**
     * The last signed message went out: the next one gets the next sequence number.
     */
    public void sent()
    {
        nextSequence++;
    }
}
