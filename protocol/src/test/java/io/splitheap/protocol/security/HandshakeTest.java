package io.splitheap.protocol.security;

import io.splitheap.protocol.codecs.ConnectEncoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest
{
    private static final int SESSION = 77;
    private static final String CHANNEL = "aeron:udp?endpoint=127.0.0.1:4000|mtu=8192|term-length=1048576";

    private final ClusterSecret secret = ClusterSecret.generate();
    private final HandshakeKeys keys = new HandshakeKeys(secret);
    private final ServerHandshake server = new ServerHandshake(keys);
    private final UnsafeBuffer connect = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[1024]);
    private final long now = System.currentTimeMillis();

    @Test
    void shouldAgreeTheSameSessionKeysOnBothSides() throws Exception
    {
        final ClientHandshake client = new ClientHandshake(keys);
        final int length = client.encodeConnect(connect, 5, SESSION, 1002, CHANNEL, now);
        final ServerHandshake.ClientHello hello = server.check(connect, 0, length, SESSION, now);
        final int replyLength = server.encodeReply(reply, 5, hello, true);
        final SessionKeys clientKeys = client.onReply(reply, 0, replyLength);
        assertNotNull(clientKeys);
        final SessionKeys serverKeys = hello.sessionKeys();

        final UnsafeBuffer message = new UnsafeBuffer(new byte[64 + MessageSigner.TRAILER_LENGTH]);
        message.putLong(0, 42);
        clientKeys.clientSigner().signInPlace(message, 0, 64);
        assertEquals(64, serverKeys.serverVerifier().verify(message, 0, message.capacity()));
        serverKeys.serverSigner().signInPlace(message, 0, 64);
        assertEquals(64, clientKeys.clientVerifier().verify(message, 0, message.capacity()));
    }

    @Test
    void shouldRefuseAConnectMadeWithAnotherSecretOrAltered()
    {
        final int foreign = new ClientHandshake(new HandshakeKeys(ClusterSecret.generate()))
            .encodeConnect(connect, 1, SESSION, 1002, CHANNEL, now);
        assertTrue(assertThrows(ServerHandshake.Refusal.class,
            () -> server.check(connect, 0, foreign, SESSION, now)).getMessage().contains("another cluster secret"));

        final int length = new ClientHandshake(keys).encodeConnect(connect, 1, SESSION, 1002, CHANNEL, now);
        connect.putByte(length - 3, (byte)(connect.getByte(length - 3) ^ 1));
        assertTrue(assertThrows(ServerHandshake.Refusal.class,
            () -> server.check(connect, 0, length, SESSION, now)).getMessage().contains("bad handshake MAC"));
    }

    @Test
    void shouldRefuseAConnectThatArrivesOnAnotherSession()
    {
        final int length = new ClientHandshake(keys).encodeConnect(connect, 1, SESSION, 1002, CHANNEL, now);
        assertTrue(assertThrows(ServerHandshake.Refusal.class, () -> server.check(connect, 0, length, 78, now))
            .getMessage().contains("arrived on session 78"));
    }

    @Test
    void shouldRefuseAReplayedOrStaleConnect() throws Exception
    {
        final int length = new ClientHandshake(keys).encodeConnect(connect, 1, SESSION, 1002, CHANNEL, now);
        server.check(connect, 0, length, SESSION, now);
        assertTrue(assertThrows(ServerHandshake.Refusal.class,
            () -> server.check(connect, 0, length, SESSION, now + 1000)).getMessage().contains("replayed"));

        final long old = now - TimeUnit.MINUTES.toMillis(6);
        final int stale = new ClientHandshake(keys).encodeConnect(connect, 2, SESSION, 1002, CHANNEL, old);
        assertTrue(assertThrows(ServerHandshake.Refusal.class, () -> server.check(connect, 0, stale, SESSION, now))
            .getMessage().contains("synchronise the clocks"));
    }

    @Test
    void shouldRefuseAReplyNotMadeByTheServerOrForAnotherConnect() throws Exception
    {
        final ClientHandshake client = new ClientHandshake(keys);
        final int length = client.encodeConnect(connect, 7, SESSION, 1002, CHANNEL, now);
        final ServerHandshake.ClientHello hello = server.check(connect, 0, length, SESSION, now);

        final ServerHandshake impostor = new ServerHandshake(new HandshakeKeys(ClusterSecret.generate()));
        final ClientHandshake other = new ClientHandshake(keys);
        final int otherLength = other.encodeConnect(connect, 7, SESSION, 1002, CHANNEL, now);
        final int forged = impostor.encodeReply(reply, 7, server.check(connect, 0, otherLength, SESSION, now), true);
        assertNull(client.onReply(reply, 0, forged), "a server without the secret");

        final int replyLength = server.encodeReply(reply, 7, hello, true);
        reply.putByte(replyLength - 40, (byte)(reply.getByte(replyLength - 40) ^ 1));
        assertNull(client.onReply(reply, 0, replyLength), "an altered reply");
        assertNull(other.onReply(reply, 0, replyLength), "a reply to another Connect");
    }

    @Test
    void shouldRefuseTamperedReplayedAndTruncatedMessages()
    {
        final byte[] key = ClusterSecret.generate().derive("test");
        final MessageSigner signer = new MessageSigner(key);
        final MessageVerifier verifier = new MessageVerifier(key);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[32 + MessageSigner.TRAILER_LENGTH]);
        signer.signInPlace(message, 0, 32);
        signer.sent();
        final byte[] first = message.byteArray().clone();
        assertEquals(32, verifier.verify(message, 0, message.capacity()));
        assertEquals(MessageVerifier.REPLAYED, verifier.verify(new UnsafeBuffer(first), 0, first.length));
        signer.signInPlace(message, 0, 32);
        message.putByte(3, (byte)1);
        assertEquals(MessageVerifier.BAD_TAG, verifier.verify(message, 0, message.capacity()));
        assertEquals(MessageVerifier.TRUNCATED, verifier.verify(message, 0, MessageSigner.TRAILER_LENGTH - 1));
        assertEquals(MessageVerifier.BAD_TAG, new MessageVerifier(ClusterSecret.generate().derive("test"))
            .verify(new UnsafeBuffer(first), 0, first.length), "another session's key");
        assertTrue(ConnectEncoder.BLOCK_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH < 1024);
    }
}
