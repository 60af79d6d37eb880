package io.splitheap.protocol.transport;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Reassembles messages that Aeron split into fragments, like Aeron's {@code FragmentAssembler}, but with a bound per
 * session: a peer that has not authenticated may grow its buffer only to the size of a handshake, an authenticated
 * one to the largest message the protocol allows. A message over its session's bound is dropped (and counted), so a
 * sender cannot fill the heap before authentication runs. Single-threaded, like the subscription it serves.
 */
final class BoundedAssembler implements FragmentHandler
{
    /**
     * Longest message a session that has not completed its handshake may send: a {@code Connect} with a channel of
     * {@link ReplyChannels#MAX_CHANNEL_LENGTH} characters fits.
     */
    static final int UNAUTHENTICATED_MAX = 1024;

    /**
     * Longest message of an authenticated session: a term of {@link ReplyChannels#MAX_TERM_LENGTH} carries an eighth
     * of it, plus the authentication trailer.
     */
    static final int AUTHENTICATED_MAX = ReplyChannels.MAX_TERM_LENGTH / 8 + 64;

    /**
     * Receives whole messages.
     */
    @FunctionalInterface
    interface Handler
    {
        void onMessage(DirectBuffer buffer, int offset, int length, Header header, long sessionKey);
    }

    /**
     * Says whether a session has authenticated.
     */
    @FunctionalInterface
    interface Authenticated
    {
        boolean test(long sessionKey);
    }

    private final long transport;
    private final Handler handler;
    private final Authenticated authenticated;
    private final Long2ObjectHashMap<Partial> partials = new Long2ObjectHashMap<>();
    private long dropped;

    BoundedAssembler(final long transport, final Handler handler, final Authenticated authenticated)
    {
        this.transport = transport;
        this.handler = handler;
        this.authenticated = authenticated;
    }

    /**
     * A fragment from the subscription.
     */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long sessionKey = transport | (header.sessionId() & 0xFFFF_FFFFL);
        final byte flags = header.flags();
        if ((flags & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED)
        {
            handler.onMessage(buffer, offset, length, header, sessionKey);
            return;
        }
        final int limit = authenticated.test(sessionKey) ? AUTHENTICATED_MAX : UNAUTHENTICATED_MAX;
        Partial partial = partials.get(sessionKey);
        if ((flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0)
        {
            if (partial == null)
            {
                partial = new Partial();
                partials.put(sessionKey, partial);
            }
            partial.length = 0;
            partial.discarding = false;
        }
        else if (partial == null || partial.discarding)
        {
            countEnd(flags, partial);
            return;
        }
        if (partial.length + length > limit)
        {
            partial.discarding = true;
            partial.length = 0;
            dropped++;
            trim(partial);
            return;
        }
        partial.buffer.putBytes(partial.length, buffer, offset, length);
        partial.length += length;
        if ((flags & FrameDescriptor.END_FRAG_FLAG) != 0)
        {
            final int messageLength = partial.length;
            partial.length = 0;
            handler.onMessage(partial.buffer, 0, messageLength, header, sessionKey);
            trim(partial);
        }
    }

    /**
     * Forgets a session's partial message (its image went away).
     */
    void free(final long sessionKey)
    {
        partials.remove(sessionKey);
    }

    /**
     * Messages dropped for exceeding their session's bound.
     */
    long dropped()
    {
        return dropped;
    }

    private static void countEnd(final byte flags, final Partial partial)
    {
        if (partial != null && (flags & FrameDescriptor.END_FRAG_FLAG) != 0)
        {
            partial.discarding = false;
        }
    }

    private static void trim(final Partial partial)
    {
        // a buffer that grew for one large message is not kept for a session that sends small ones
        if (partial.buffer.capacity() > 4 * UNAUTHENTICATED_MAX * 64)
        {
            partial.buffer = new ExpandableArrayBuffer(UNAUTHENTICATED_MAX);
        }
    }

    private static final class Partial
    {
        private ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(UNAUTHENTICATED_MAX);
        private int length;
        private boolean discarding;
    }
}
