package io.splitheap.protocol.transport;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;

import java.util.Set;

/**
 * Which reply channels a server accepts in a {@code Connect}: only what Splitheap clients send, with a bounded term
 * length, so that a client cannot make the server map large buffers or use options that change its resources.
 */
public final class ReplyChannels
{
    /**
     * Largest term length a client may ask for on its reply channel (also the largest
     * {@code splitheap.aeron.term.length}).
     */
    public static final int MAX_TERM_LENGTH = 16 << 20;

    /**
     * Longest channel text accepted.
     */
    public static final int MAX_CHANNEL_LENGTH = 256;

    private static final Set<String> UDP_PARAMETERS = Set.of(
        CommonContext.ENDPOINT_PARAM_NAME, CommonContext.MTU_LENGTH_PARAM_NAME, CommonContext.TERM_LENGTH_PARAM_NAME);
    private static final Set<String> IPC_PARAMETERS = Set.of(
        CommonContext.MTU_LENGTH_PARAM_NAME, CommonContext.TERM_LENGTH_PARAM_NAME);

    private ReplyChannels()
    {
    }

    /**
     * Checks a reply channel.
     *
     * @param channel the channel a client named.
     * @param ipc     whether the client reached the server over shared memory (only then is {@code aeron:ipc} allowed).
     * @return null when acceptable, else why not.
     */
    public static String check(final String channel, final boolean ipc)
    {
        if (channel.length() > MAX_CHANNEL_LENGTH)
        {
            return "reply channel longer than " + MAX_CHANNEL_LENGTH + " characters";
        }
        final ChannelUri uri;
        try
        {
            uri = ChannelUri.parse(channel);
        }
        catch (final RuntimeException ex)
        {
            return "reply channel is not an Aeron channel: " + ex.getMessage();
        }
        if (uri.prefix() != null && !uri.prefix().isEmpty())
        {
            return "reply channel has a prefix: " + uri.prefix();
        }
        final boolean isIpc = CommonContext.IPC_MEDIA.equals(uri.media());
        if (!isIpc && !CommonContext.UDP_MEDIA.equals(uri.media()))
        {
            return "reply channel media must be udp or ipc, was " + uri.media();
        }
        if (isIpc && !ipc)
        {
            return "an ipc reply channel from a client that is not on shared memory";
        }
        final Set<String> allowed = isIpc ? IPC_PARAMETERS : UDP_PARAMETERS;
        final String[] unexpected = {null};
        uri.forEachParameter((key, value) ->
        {
            if (!allowed.contains(key) && unexpected[0] == null)
            {
                unexpected[0] = key;
            }
        });
        if (unexpected[0] != null)
        {
            return "reply channel parameter not allowed: " + unexpected[0] + " (allowed: " + allowed + ")";
        }
        if (!isIpc && uri.get(CommonContext.ENDPOINT_PARAM_NAME) == null)
        {
            return "udp reply channel without endpoint";
        }
        final String termLength = uri.get(CommonContext.TERM_LENGTH_PARAM_NAME);
        if (termLength != null)
        {
            try
            {
                final long value = Long.parseLong(termLength);
                if (value > MAX_TERM_LENGTH || value < 64 * 1024 || Long.bitCount(value) != 1)
                {
                    return "reply channel term-length must be a power of two from 64k to " + MAX_TERM_LENGTH +
                        ", was " + termLength;
                }
            }
            catch (final NumberFormatException ex)
            {
                return "reply channel term-length is not a number: " + termLength;
            }
        }
        final String mtu = uri.get(CommonContext.MTU_LENGTH_PARAM_NAME);
        if (mtu != null)
        {
            try
            {
                final int value = Integer.parseInt(mtu);
                if (value < 1408 || value > Channels.IPC_MTU)
                {
                    return "reply channel mtu must be from 1408 to " + Channels.IPC_MTU + ", was " + mtu;
                }
            }
            catch (final NumberFormatException ex)
            {
                return "reply channel mtu is not a number: " + mtu;
            }
        }
        return null;
    }
}
