package io.splitheap.protocol.transport;

import io.splitheap.protocol.Endpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyChannelsTest
{
    @Test
    void shouldAcceptWhatSplitheapClientsSend()
    {
        assertNull(ReplyChannels.check(Channels.publication(new Endpoint("10.0.0.1", 40123), 8192, 1 << 20), false));
        assertNull(ReplyChannels.check(Channels.ipc(Channels.IPC_TERM_LENGTH), true));
    }

    @Test
    void shouldRefuseLargeTermsOtherParametersAndIpcFromTheNetwork()
    {
        assertTrue(ReplyChannels.check("aeron:udp?endpoint=10.0.0.1:1|term-length=1073741824", false)
            .contains("term-length"));
        assertTrue(ReplyChannels.check("aeron:udp?endpoint=10.0.0.1:1|sparse=false", false).contains("sparse"));
        assertTrue(ReplyChannels.check("aeron:udp?endpoint=10.0.0.1:1|term-length=3000000", false)
            .contains("power of two"));
        assertTrue(ReplyChannels.check(Channels.ipc(Channels.IPC_TERM_LENGTH), false).contains("ipc"));
        assertNotNull(ReplyChannels.check("aeron:udp?control=10.0.0.1:1", false));
        assertNotNull(ReplyChannels.check("aeron-spy:aeron:udp?endpoint=10.0.0.1:1", false));
        assertNotNull(ReplyChannels.check("not a channel", false));
        assertNotNull(ReplyChannels.check("aeron:udp?endpoint=10.0.0.1:1|mtu=999999", false));
        assertNotNull(ReplyChannels.check("aeron:udp?endpoint=10.0.0.1:1|alias=" + "x".repeat(300), false));
    }
}
