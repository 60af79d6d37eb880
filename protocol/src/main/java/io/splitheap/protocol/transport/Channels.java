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

    /**
     * Term length of shared-memory streams: large enough that a publisher rarely waits for the driver to move its
     * limit (sparse, so it costs only the pages used).
     */
    public static final int IPC_TERM_LENGTH = 4 << 20;

    /**
     * MTU of shared-memory streams: a 64 KiB line and its header in one frame, so nothing is reassembled.
     */
    public static final int IPC_MTU = 65504;

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

    /**
     * The shared-memory channel through a media driver that client and server share.
     *
     * @param termLength term length in bytes.
     * @return the channel URI.
     */
    public static String ipc(final int termLength)
    {
        return "aeron:ipc?term-length=" + termLength + "|mtu=" + IPC_MTU;
    }

    /**
     * The stream on which a component bound at {@code endpoint} also receives (requests, or replies) over
     * {@code aeron:ipc} from processes that share its media driver. Derived from the endpoint, which is unique on its
     * host, so co-located components need no other agreement; the top bit pair keeps it apart from the fixed ids.
     *
     * @param endpoint the component's resolved UDP endpoint.
     * @return the stream id.
     */
    public static int ipcStreamId(final Endpoint endpoint)
    {
        int hash = endpoint.port();
        final String host = endpoint.host();
        for (int i = 0; i < host.length(); i++)
        {
            hash = hash * 0x01000193 ^ host.charAt(i);
        }
        hash ^= hash >>> 15;
        hash *= 0x2C1B3C6D;
        hash ^= hash >>> 12;
        return 0x4000_0000 | (hash & 0x3FFF_FFFF);
    }
}
