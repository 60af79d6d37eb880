package io.splitheap.storagenode;

import io.splitheap.coordinator.Coordinator;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.ErrorResponseDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeStatsRequestEncoder;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class StorageNodeTest
{
    static final io.splitheap.protocol.security.ClusterSecret SECRET =
        io.splitheap.protocol.security.ClusterSecret.generate();
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void shouldRegisterAndRefuseRequestsItCannotServeYet(@TempDir final File dataDir)
    {
        final ErrorLog errors = new ErrorLog("storage-node-test", System.err);
        try (AeronResources aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"),
            1 << 20, 1_000_000, errors);
            Coordinator coordinator = Coordinator.launch(new Coordinator.Context().secret(SECRET)
                .aeron(aeron.aeron())
                .bind(new Endpoint("127.0.0.1", 0)).errorHandler(errors));
            StorageNode node = StorageNode.launch(new StorageNode.Context().secret(SECRET).aeron(aeron.aeron())
                .coordinator(coordinator.endpoint()).bind(new Endpoint("127.0.0.1", 0)).dataDir(dataDir)
                .errorHandler(errors)))
        {
            node.awaitRegistered(TIMEOUT_NS);
            assertTrue(node.nodeId() > 0);
            final AtomicReference<ErrorCode> reply = new AtomicReference<>();
            final ClientEndpoint client = new ClientEndpoint(aeron.aeron(), "127.0.0.1", 8192, 1 << 20,
                (buffer, offset, length, header) ->
                {
                    final ErrorResponseDecoder decoder = new ErrorResponseDecoder();
                    decoder.wrapAndApplyHeader(buffer, offset, new MessageHeaderDecoder());
                    reply.set(decoder.code());
                }, TIMEOUT_NS, io.splitheap.protocol.transport.TransportSecurity.of(SECRET), errors);
            try
            {
                final ServerLink link = client.connect(node.endpoint(), TIMEOUT_NS);
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
                final NodeStatsRequestEncoder encoder = new NodeStatsRequestEncoder();
                encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(5);
                link.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
                final long deadline = System.nanoTime() + TIMEOUT_NS;
                while (reply.get() == null && System.nanoTime() < deadline)
                {
                    client.poll(10);
                }
                assertEquals(ErrorCode.INVALID_ARGUMENT, reply.get());
            }
            finally
            {
                client.close();
            }
            assertEquals(0, errors.errorCount());
        }
    }
}
