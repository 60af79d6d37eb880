package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.launcher.cluster.NodeStatus;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.ReflectiveCodecs;
import io.splitheap.protocol.transport.SchemaModel;
import io.splitheap.protocol.transport.ServerLink;
import io.splitheap.protocol.transport.TransportSecurity;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every server handler (coordinator, memory node, storage node) driven by a member's authenticated sessions with
 * messages of every template of the schema: well-formed ones with random field values, and truncated, oversized,
 * bit-flipped and random ones. No exception escapes a handler (the components' error handler sees only Splitheap's
 * own warnings), every component keeps answering, and the malformed ones are counted. The seed is printed; set
 * {@code -Dfuzz.seed=N} to replay a run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerHandlersFuzzIT
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int MESSAGES_PER_SERVER = 3000;

    @Test
    void shouldSurviveEveryTemplateWithRandomAndMutatedContents() throws Exception
    {
        final long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("ServerHandlersFuzzIT seed=" + seed);
        final Random random = new Random(seed);
        final List<Throwable> escaped = new ArrayList<>();
        final AtomicLong warnings = new AtomicLong();
        final ErrorHandler errors = throwable ->
        {
            if (throwable instanceof SplitheapException)
            {
                warnings.incrementAndGet();
            }
            else
            {
                synchronized (escaped)
                {
                    escaped.add(throwable);
                }
            }
        };
        try (EmbeddedCluster cluster = EmbeddedCluster.start(new EmbeddedCluster.Context()
            .memoryNodes(1).memoryNodeCapacity(64L << 20).vRegionShift(20).errorHandler(errors));
            ClientEndpoint client = new ClientEndpoint(cluster.aeron(), "127.0.0.1", 8192, 1 << 20,
                (buffer, offset, length, header) ->
                {
                }, TIMEOUT_NS,
                TransportSecurity.of(io.splitheap.protocol.security.ClusterSecret.load(cluster.secretFile())),
                new ErrorLog("fuzz-client", System.err)))
        {
            final List<Endpoint> servers = new ArrayList<>();
            servers.add(cluster.coordinatorEndpoint());
            for (final NodeStatus node : cluster.status())
            {
                servers.add(Endpoint.parse(node.endpoint()));
            }
            final List<SchemaModel.Message> templates = SchemaModel.messages();
            for (final Endpoint server : servers)
            {
                final ServerLink link = client.connect(server, TIMEOUT_NS);
                for (int i = 0; i < MESSAGES_PER_SERVER; i++)
                {
                    final byte[] message = mutate(
                        ReflectiveCodecs.encode(templates.get(random.nextInt(templates.size())), random), random);
                    assertTrue(link.send(new UnsafeBuffer(message), 0, message.length, TIMEOUT_NS),
                        "sent message " + i + " to " + server);
                    if ((i & 63) == 0)
                    {
                        client.poll(256);
                    }
                }
            }
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            while (System.nanoTime() < deadline && client.poll(256) > 0)
            {
                Thread.yield();
            }
            Thread.sleep(1000);
            synchronized (escaped)
            {
                assertEquals(List.of(), escaped, "exceptions that escaped a handler (seed " + seed + ")");
            }
            final List<NodeStatus> after = cluster.status();
            assertTrue(after.stream().filter(n -> servers.contains(Endpoint.parse(n.endpoint())))
                .allMatch(NodeStatus::alive), "every component still heartbeats: " + after);
            assertTrue(after.stream().mapToLong(NodeStatus::malformedMessages).sum() > 0,
                "nodes counted malformed messages: " + after);
            // the same counters through each component's JMX bean
            final javax.management.MBeanServer beans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            for (final String type : List.of("Coordinator", "MemoryNode", "StorageNode"))
            {
                final java.util.Set<javax.management.ObjectName> names =
                    beans.queryNames(new javax.management.ObjectName("io.splitheap:type=" + type + ",*"), null);
                assertEquals(1, names.size(), type + ": " + names);
                final javax.management.ObjectName name = names.iterator().next();
                assertTrue((Long)beans.getAttribute(name, "MalformedMessages") > 0, type + " counted malformed");
                assertTrue((Integer)beans.getAttribute(name, "Sessions") >= 1, type + " has sessions");
            }
        }
    }

    /**
     * One of: as encoded, truncated, a length field made huge, bytes flipped, garbage appended, random bytes.
     */
    private static byte[] mutate(final byte[] message, final Random random)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return message;
            case 1:
                return java.util.Arrays.copyOf(message, random.nextInt(message.length + 1));
            case 2:
            {
                final byte[] copy = message.clone();
                if (copy.length >= 4)
                {
                    final int at = random.nextInt(copy.length - 3);
                    final int value = random.nextBoolean() ? 0x7fff_ffff : -1;
                    for (int b = 0; b < 4; b++)
                    {
                        copy[at + b] = (byte)(value >>> (8 * b));
                    }
                }
                return copy;
            }
            case 3:
            {
                final byte[] copy = message.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0 && copy.length > 0; flips--)
                {
                    copy[random.nextInt(copy.length)] ^= (byte)(1 << random.nextInt(8));
                }
                return copy;
            }
            case 4:
            {
                final byte[] copy = java.util.Arrays.copyOf(message, message.length + 1 + random.nextInt(64));
                for (int i = message.length; i < copy.length; i++)
                {
                    copy[i] = (byte)random.nextInt();
                }
                return copy;
            }
            default:
            {
                final byte[] bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                if (bytes.length >= 6 && random.nextBoolean())
                {
                    // a valid schema id, so it reaches the template checks
                    bytes[4] = (byte)(7301 & 0xFF);
                    bytes[5] = (byte)(7301 >>> 8);
                }
                return bytes;
            }
        }
    }
}
