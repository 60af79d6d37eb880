package io.splitheap.protocol.security;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Checks the messages one side of a session receives (see {@link MessageSigner} for the trailer): the tag must match
 * under the direction's session key, and the sequence number must be higher than any accepted before, so a message
 * replayed on this session, or moved from another, is refused. Not thread-safe: one receiving thread.
 */
public final class MessageVerifier
{
    /**
     * Shorter than a trailer.
     */
    public static final int TRUNCATED = -1;

    /**
     * The tag does not match: forged, altered, or from another session.
     */
    public static final int BAD_TAG = -2;

    /**
     * A sequence number at or below one already accepted: a replay.
     */
    public static final int REPLAYED = -3;

    private final MessageTagger tagger;
    private long lastSequence;

    /**
     * A verifier.
     *
     * @param key the direction's session key.
     */
    public MessageVerifier(final byte[] key)
    {
        this.tagger = new MessageTagger(key);
    }

    /**
     * Verifies a signed message.
     *
     * @param buffer holding it.
     * @param offset where it starts.
     * @param length its length including the trailer.
     * @return the length of the message without its trailer, or {@link #TRUNCATED}, {@link #BAD_TAG},
     * {@link #REPLAYED}.
     */
    public int verify(final DirectBuffer buffer, final int offset, final int length)
    {
        final int messageLength = length - MessageSigner.TRAILER_LENGTH;
        if (messageLength < 0)
        {
            return TRUNCATED;
        }
        final long sequence = buffer.getLong(offset + messageLength, ByteOrder.LITTLE_ENDIAN);
        tagger.compute(buffer, offset, messageLength, sequence);
        if (!tagger.matches(buffer, offset + messageLength + Long.BYTES))
        {
            return BAD_TAG;
        }
        if (sequence <= lastSequence)
        {
            return REPLAYED;
        }
        lastSequence = sequence;
        return messageLength;
    }

    /**
     * Why a message was refused, for logs.
     *
     * @param result what {@link #verify} returned.
     * @return a short reason.
     */
    public static String reason(final int result)
    {
        switch (result)
        {
            case TRUNCATED:
                return "shorter than its authentication trailer";
            case BAD_TAG:
                return "bad message authentication code";
            case REPLAYED:
                return "replayed (sequence number already seen)";
            default:
                return "ok";
        }
    }
}
