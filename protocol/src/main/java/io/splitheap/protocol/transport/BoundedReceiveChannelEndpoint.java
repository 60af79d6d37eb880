package io.splitheap.protocol.transport;

import io.aeron.driver.DataPacketDispatcher;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.media.ReceiveChannelEndpoint;
import io.aeron.driver.media.UdpChannel;
import io.aeron.protocol.SetupFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media driver's receiving end of a UDP channel, refusing a stream whose sender asks for a term longer than
 * Splitheap uses ({@link ReplyChannels#MAX_TERM_LENGTH}): the driver would otherwise map three terms of the
 * sender's choosing (up to 1 GiB each) in its directory for any peer that sends one SETUP frame.
 */
public final class BoundedReceiveChannelEndpoint extends ReceiveChannelEndpoint
{
    private static final AtomicLong REFUSED = new AtomicLong();

    /**
     * Same as Aeron's.
     *
     * @param udpChannel       the channel.
     * @param dispatcher       the driver's dispatcher.
     * @param statusIndicator  channel status counter.
     * @param context          the driver's context.
     */
    public BoundedReceiveChannelEndpoint(
        final UdpChannel udpChannel,
        final DataPacketDispatcher dispatcher,
        final AtomicCounter statusIndicator,
        final MediaDriver.Context context)
    {
        super(udpChannel, dispatcher, statusIndicator, context);
    }

    /**
     * {@inheritDoc}
     */
    public void onSetupMessage(
        final SetupFlyweight header,
        final UnsafeBuffer buffer,
        final int length,
        final InetSocketAddress srcAddress,
        final int transportIndex)
    {
        if (header.termLength() > ReplyChannels.MAX_TERM_LENGTH || header.mtuLength() > Channels.IPC_MTU)
        {
            REFUSED.incrementAndGet();
            return;
        }
        super.onSetupMessage(header, buffer, length, srcAddress, transportIndex);
    }

    /**
     * Streams refused in this JVM for their term length or MTU.
     *
     * @return count.
     */
    public static long refused()
    {
        return REFUSED.get();
    }
}
