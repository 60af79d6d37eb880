package io.splitheap.protocol.transport;

import io.splitheap.protocol.Endpoint;

/**
 * Aeron channel URIs and stream ids used by Splitheap.
 */
public final class Channels
{
    /**
     * Stream on which every component receives requests.
     */
    public static final int REQUEST_STREAM_ID = 1001;

    /**
     * Stream on which clients receive replies.
     */
    public static final int REPLY_STREAM_ID = 1002;

    private Channels()
    {
    }

    /**
     * A subscription channel bound to an endpoint.
     *
     * @param endpoint host:port to bind, port 0 for any.
     * @return the channel URI.
     */
    public static String subscription(final Endpoint endpoint)
    {
        return "aeron:udp?endpoint=" + endpoint;
    }

    /**
     * A publication channel to an endpoint.
     *
     * @param endpoint   the receiver.
     * @param mtu        MTU in bytes.
     * @param termLength term length in bytes.
     * @return the channel URI.
     */
    public static String publication(final Endpoint endpoint, final int mtu, final int termLength)
    {
        return "aeron:udp?endpoint=" + endpoint + "|mtu=" + mtu + "|term-length=" + termLength;
    }
}
