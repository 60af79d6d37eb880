package io.splitheap.systemtests;

import io.aeron.ExclusivePublication;
import io.splitheap.launcher.cluster.ClusterStatusClient;
import io.splitheap.launcher.cluster.NodeStatus;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.ClusterStatusRequestEncoder;
import io.splitheap.protocol.codecs.ConnectEncoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.ErrorResponseDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.RegisterNodeEncoder;
import io.splitheap.protocol.codecs.RegisterProcessEncoder;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.security.ClientHandshake;
import io.splitheap.protocol.security.ClusterSecret;
import io.splitheap.protocol.security.HandshakeKeys;
import io.splitheap.protocol.security.MessageSigner;
import io.splitheap.protocol.security.SessionKeys;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.ServerLink;
import io.splitheap.protocol.transport.TransportSecurity;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import io.splitheap.testsupport.ShmDirectories;
import io.splitheap.testsupport.StatsLine;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of the security issue, each from a peer on the network (a raw Aeron client in this JVM) against a
 * cluster in its own process ({@code bin/splitheap cluster}): each is refused, the cluster stays up and bounded, and a
 * legitimate program run afterwards computes the right checksum.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static ForkedProcess cluster;
    private static Endpoint coordinator;
    private static ClusterSecret secret;
    private static Path secretFile;
    private static Attacker attacker;
    private static AeronResources statusAeron;
    private static ClusterStatusClient status;
    private static long shmBaselineKb;
    private static long rssBaselineKb;

    @BeforeAll
    static void startCluster() throws Exception
    {
        cluster = ForkedProcess.start(FarRuns.LOGS, "security-cluster",
            List.of(ProjectPaths.launcherScript().getAbsolutePath(), "cluster", "--memory-nodes", "2", "--capacity",
                "256m"), Map.of());
        final Pattern ready = Pattern.compile(
            "splitheap-cluster-ready coordinator=(127\\.0\\.0\\.1:\\d+) secret-file=(\\S+)\n");
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Matcher matcher = ready.matcher("");
        while (System.nanoTime() < deadline && !(matcher = ready.matcher(cluster.stdout())).find())
        {
            assertTrue(cluster.isAlive(), "cluster exited early: " + cluster.stderr());
            Thread.sleep(100);
        }
        assertTrue(matcher.find(0), "no ready line: " + cluster.logs());
        coordinator = Endpoint.parse(matcher.group(1));
        secretFile = Path.of(matcher.group(2));
        secret = ClusterSecret.load(secretFile);
        attacker = new Attacker();
        statusAeron = AeronResources.launchEmbedded("security-status", System.getProperty("java.io.tmpdir"),
            1 << 20, 1_000_000, new ErrorLog("status", System.err));
        status = new ClusterStatusClient(statusAeron.aeron(), coordinator, 8192, 1 << 20, TIMEOUT_NS,
            TransportSecurity.of(secret));
        shmBaselineKb = shmKb();
        rssBaselineKb = rssKb();
    }

    @AfterAll
    static void stopCluster()
    {
        if (status != null)
        {
            status.close();
        }
        if (statusAeron != null)
        {
            statusAeron.close();
        }
        if (attacker != null)
        {
            attacker.close();
        }
        if (cluster != null)
        {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldRefuseAConnectMadeWithoutTheSecret()
    {
        final long before = coordinatorAuthFailures();
        final ExclusivePublication session = attacker.session(coordinator);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = new ClientHandshake(new HandshakeKeys(ClusterSecret.generate()))
            .encodeConnect(buffer, 1, session.sessionId(), 1002, attacker.replyChannel(), System.currentTimeMillis());
        attacker.send(session, buffer, 0, length);
        final UnsafeBuffer register = registerNode(2, 1, "127.0.0.1:9");
        attacker.send(session, register, 0, register.capacity());
        assertTrue(attacker.receive(1500).isEmpty(), "no reply, no reply channel opened, no registration");
        assertTrue(coordinatorAuthFailures() > before, "the refusal is counted");
        assertTrue(status.status().stream().noneMatch(n -> n.endpoint().equals("127.0.0.1:9")));
    }

    @Test
    @Order(2)
    void shouldSurviveLengthFieldsThatPointFarOutsideTheMessage() throws Exception
    {
        final long before = coordinatorMalformedMessages();
        final UnsafeBuffer connect = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
            ConnectEncoder.BLOCK_LENGTH + 4]);
        new ConnectEncoder().wrapAndApplyHeader(connect, 0, new MessageHeaderEncoder()).correlationId(1);
        connect.putInt(connect.capacity() - 4, 0x7fff_ffff, ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer registerProcess = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
            RegisterProcessEncoder.BLOCK_LENGTH + 4]);
        new RegisterProcessEncoder().wrapAndApplyHeader(registerProcess, 0, new MessageHeaderEncoder())
            .correlationId(2).hostPid(1);
        registerProcess.putInt(registerProcess.capacity() - 4, 0x7fff_fff0, ByteOrder.LITTLE_ENDIAN);
        for (final NodeStatus node : status.status())
        {
            final ExclusivePublication session = attacker.session(Endpoint.parse(node.endpoint()));
            attacker.send(session, connect, 0, connect.capacity());
            attacker.send(session, registerProcess, 0, registerProcess.capacity());
        }
        final ExclusivePublication session = attacker.session(coordinator);
        attacker.send(session, connect, 0, connect.capacity());
        attacker.send(session, registerProcess, 0, registerProcess.capacity());
        // the same from a member's authenticated session gets a MALFORMED reply
        final AtomicReference<ErrorCode> reply = new AtomicReference<>();
        try (ClientEndpoint member = memberClient(reply))
        {
            final ServerLink link = member.connect(coordinator, TIMEOUT_NS);
            assertTrue(link.send(registerProcess, 0, registerProcess.capacity(), TIMEOUT_NS));
            await(member, () -> reply.get() != null);
            assertEquals(ErrorCode.MALFORMED, reply.get());
        }
        final long after = coordinatorMalformedMessages();
        assertTrue(after >= before + 2, "counted: " + before + " then " + after);
        assertTrue(cluster.isAlive());
        assertEquals(3, status.status().stream().filter(NodeStatus::alive).count(), "every component still answers");
    }

    @Test
    @Order(3)
    void shouldNotLetAMemberTakeOverALiveNodeId() throws Exception
    {
        final NodeStatus victim = status.status().stream().filter(n -> n.kind() == NodeKind.MEMORY).findFirst()
            .orElseThrow();
        final AtomicReference<ErrorCode> reply = new AtomicReference<>();
        try (ClientEndpoint member = memberClient(reply))
        {
            final ServerLink link = member.connect(coordinator, TIMEOUT_NS);
            final UnsafeBuffer register = registerNode(7, victim.nodeId(), "127.0.0.1:9");
            assertTrue(link.send(register, 0, register.capacity(), TIMEOUT_NS));
            await(member, () -> reply.get() != null);
            assertEquals(ErrorCode.INVALID_ARGUMENT, reply.get());
        }
        final NodeStatus after = status.status().stream().filter(n -> n.nodeId() == victim.nodeId()).findFirst()
            .orElseThrow();
        assertEquals(victim.endpoint(), after.endpoint(), "the node id still routes to the live node");
    }

    @Test
    @Order(4)
    void shouldCountAndRefuseAWrongProcessSecret() throws Exception
    {
        final NodeStatus node = status.status().stream().filter(n -> n.kind() == NodeKind.MEMORY).findFirst()
            .orElseThrow();
        final AtomicReference<ErrorCode> reply = new AtomicReference<>();
        try (ClientEndpoint member = memberClient(reply))
        {
            final ServerLink link = member.connect(Endpoint.parse(node.endpoint()), TIMEOUT_NS);
            final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
            final io.splitheap.protocol.codecs.NodeStatsRequestEncoder encoder =
                new io.splitheap.protocol.codecs.NodeStatsRequestEncoder();
            encoder.wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(41).pid(1).secret(42);
            assertTrue(link.send(request, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
                TIMEOUT_NS));
            await(member, () -> reply.get() != null);
            assertEquals(ErrorCode.BAD_SECRET, reply.get());
        }
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        long failures = 0;
        while (failures <= node.authFailures() && System.nanoTime() < deadline)
        {
            Thread.sleep(100);
            failures = status.status().stream().filter(n -> n.nodeId() == node.nodeId()).findFirst().orElseThrow()
                .authFailures();
        }
        assertTrue(failures > node.authFailures(), "the node reports the refusal: " + failures);
    }

    @Test
    @Order(5)
    void shouldRefuseReplayedHandshakesAndMessages()
    {
        final long before = coordinatorAuthFailures();
        final UnsafeBuffer connect = new UnsafeBuffer(new byte[1024]);
        final ClientHandshake handshake = new ClientHandshake(new HandshakeKeys(secret));
        final ExclusivePublication first = attacker.session(coordinator);
        final int connectLength = handshake.encodeConnect(
            connect, 11, first.sessionId(), 1002, attacker.replyChannel(), System.currentTimeMillis());
        attacker.send(first, connect, 0, connectLength);
        final byte[] accept = attacker.receiveOne(5000);
        assertNotNull(accept, "a member's handshake is answered");
        final SessionKeys keys = handshake.onReply(new UnsafeBuffer(accept), 0, accept.length);
        assertNotNull(keys, "and the answer proves the coordinator holds the secret");

        final ExclusivePublication second = attacker.session(coordinator);
        attacker.send(second, connect, 0, connectLength);
        assertNull(attacker.receiveOne(1500), "the same Connect from another session is refused");

        final MessageSigner signer = keys.clientSigner();
        final UnsafeBuffer request = new UnsafeBuffer(new byte[128]);
        final ClusterStatusRequestEncoder encoder = new ClusterStatusRequestEncoder();
        encoder.wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(12);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        signer.signInPlace(request, 0, length);
        attacker.send(first, request, 0, length + MessageSigner.TRAILER_LENGTH);
        assertNotNull(attacker.receiveOne(5000), "a signed request is answered");
        attacker.send(first, request, 0, length + MessageSigner.TRAILER_LENGTH);
        attacker.send(second, request, 0, length + MessageSigner.TRAILER_LENGTH);
        request.putByte(length - 1, (byte)1);
        attacker.send(first, request, 0, length + MessageSigner.TRAILER_LENGTH);
        assertTrue(attacker.receive(1500).isEmpty(), "replayed on its session, moved to another, or altered: dropped");
        assertTrue(coordinatorAuthFailures() >= before + 3, "counted");
    }

    @Test
    @Order(6)
    void shouldRefuseAReplyChannelThatWouldMapLargeBuffers() throws Exception
    {
        final long before = coordinatorAuthFailures();
        final long shmBefore = shmKb();
        final UnsafeBuffer connect = new UnsafeBuffer(new byte[1024]);
        final ExclusivePublication one = attacker.session(coordinator);
        final int length = new ClientHandshake(new HandshakeKeys(secret)).encodeConnect(connect, 21, one.sessionId(),
            1002, attacker.replyChannel() + "|sparse=false|term-length=16m", System.currentTimeMillis());
        attacker.send(one, connect, 0, length);
        final ExclusivePublication other = attacker.session(coordinator);
        final int otherLength = new ClientHandshake(new HandshakeKeys(secret)).encodeConnect(connect, 22,
            other.sessionId(), 1002, attacker.replyChannel().replace("term-length=65536", "term-length=1073741824"),
            System.currentTimeMillis());
        attacker.send(other, connect, 0, otherLength);
        assertTrue(attacker.receive(1500).isEmpty(), "refused");
        assertTrue(coordinatorAuthFailures() >= before + 2, "counted");
        assertTrue(shmKb() - shmBefore < 16 * 1024, "no large log buffers mapped: " + (shmKb() - shmBefore) + " KiB");
    }

    @Test
    @Order(7)
    void shouldRefuseAStreamWhoseTermWouldMapLargeFiles() throws Exception
    {
        final long shmBefore = shmKb();
        final ExclusivePublication huge = attacker.rawPublication(coordinator, 64 << 20);
        Thread.sleep(2000);
        assertTrue(!huge.isConnected(), "the cluster's driver refused a 64 MiB term");
        assertTrue(shmKb() - shmBefore < 16 * 1024, "and mapped nothing for it: " + (shmKb() - shmBefore) + " KiB");
        huge.close();
    }

    @Test
    @Order(8)
    void shouldLogAnUnconnectedFloodAtABoundedRate() throws Exception
    {
        final long linesBefore = droppedLines();
        final ExclusivePublication session = attacker.session(coordinator);
        final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
        final ClusterStatusRequestEncoder encoder = new ClusterStatusRequestEncoder();
        encoder.wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(31);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        for (int i = 0; i < 20_000; i++)
        {
            attacker.send(session, request, 0, length);
        }
        Thread.sleep(1000);
        final long lines = droppedLines() - linesBefore;
        assertTrue(lines <= 2, "20,000 messages of an unconnected session wrote " + lines + " log lines");
        assertTrue(cluster.isAlive());
    }

    @Test
    @Order(9)
    void shouldKeepServingALegitimateProgramWithinBoundedResources() throws Exception
    {
        final String expected = StatsLine.checksum(
            FarRuns.run("security-heap", "256m", null, "kvstore", "--working-set", "16m", "--ops", "200000").stdout());
        final ForkedProcess far = FarRuns.run("security-far", "128m",
            "coordinator=" + coordinator + ",secret.file=" + secretFile + ",excache=2m,stats=true",
            "kvstore", "--working-set", "16m", "--ops", "200000");
        assertEquals(expected, StatsLine.checksum(far.stdout()), "the right result after every attack");
        assertTrue(cluster.isAlive());
        final long shmGrowth = shmKb() - shmBaselineKb;
        final long rssGrowth = rssKb() - rssBaselineKb;
        // the program's own pages account for the growth: 16 MiB of data, kept on both nodes (primary and secondary),
        // in page maps that take about twice the data on /dev/shm (75 MiB measured)
        assertTrue(shmGrowth < 128 * 1024, "/dev/shm of the cluster grew " + shmGrowth + " KiB");
        assertTrue(rssGrowth < 256 * 1024, "the cluster's resident memory grew " + rssGrowth + " KiB");
    }

    private static ClientEndpoint memberClient(final AtomicReference<ErrorCode> reply)
    {
        return new ClientEndpoint(statusAeron.aeron(), "127.0.0.1", 8192, 1 << 20, (buffer, offset, length, header) ->
        {
            final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder().wrap(buffer, offset);
            if (headerDecoder.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
            {
                reply.set(new ErrorResponseDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder).code());
            }
        }, TIMEOUT_NS, TransportSecurity.of(secret), new ErrorLog("member", System.err));
    }

    private static void await(final ClientEndpoint client, final java.util.function.BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!done.getAsBoolean() && System.nanoTime() < deadline)
        {
            client.doWork(System.nanoTime());
            if (client.poll(16) == 0)
            {
                Thread.yield();
            }
        }
    }

    private static UnsafeBuffer registerNode(final long correlationId, final int nodeId, final String endpoint)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
            RegisterNodeEncoder.BLOCK_LENGTH + 4 + endpoint.length()]);
        new RegisterNodeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).kind(NodeKind.MEMORY).requestedNodeId(nodeId).capacityBytes(1L << 30)
            .usedPages(0).endpoint(endpoint);
        return buffer;
    }

    private static long coordinatorAuthFailures()
    {
        status.status();
        return status.coordinatorAuthFailures();
    }

    private static long coordinatorMalformedMessages()
    {
        status.status();
        return status.coordinatorMalformedMessages();
    }

    private static long droppedLines() throws Exception
    {
        return cluster.stderr().lines().filter(line -> line.contains("that has not completed Connect")).count();
    }

    private static long shmKb() throws Exception
    {
        long total = 0;
        for (final String name : ShmDirectories.of(cluster.pid()))
        {
            final Process du = new ProcessBuilder("du", "-sk", "/dev/shm/" + name).start();
            final String out = new String(du.getInputStream().readAllBytes()).trim();
            du.waitFor();
            total += out.isEmpty() ? 0 : Long.parseLong(out.split("\\s+")[0]);
        }
        return total;
    }

    private static long rssKb() throws Exception
    {
        final long pid = ProcessHandle.of(cluster.pid()).flatMap(h -> h.descendants()
            .filter(d -> d.info().command().map(c -> c.endsWith("java")).orElse(false)).findFirst())
            .map(ProcessHandle::pid).orElse(cluster.pid());
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }
}
