package io.splitheap.protocol.transport;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a host names this machine (a loopback address or one of its interfaces' addresses), remembered per name.
 */
final class LocalAddresses
{
    private static final ConcurrentHashMap<String, Boolean> KNOWN = new ConcurrentHashMap<>();

    private LocalAddresses()
    {
    }

    static boolean isLocal(final String host)
    {
        return KNOWN.computeIfAbsent(host, LocalAddresses::lookUp);
    }

    private static boolean lookUp(final String host)
    {
        try
        {
            final InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress() ||
                NetworkInterface.getByInetAddress(address) != null;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }
}
