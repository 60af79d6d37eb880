package io.splitheap.bench;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.splitheap.agent.backend.RemoteBackend;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.Channels;
import io.splitheap.protocol.transport.IdleStrategies;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost of an ExCache miss against the round trip it cannot avoid, in one JVM, over UDP loopback or shared memory
 * ({@code transport}):
 * <ul>
 *     <li>{@code aeronEcho}: a 4 KiB message to an echo agent and back, through two media drivers with the nodes'
 *     idle strategy (the raw Aeron round trip of one line);</li>
 *     <li>{@code backendReadLine}: the agent's line read from a memory node (request, Chronicle Map lookup, reply);</li>
 *     <li>{@code excacheMiss}: a far-array read whose line is not resident (eviction, fetch, publish).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchFlags.ADD_EXPORTS_MISC, "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "-Dchronicle.analytics.disable=true"})
public class MissLatencyBenchmark
{
    private static final int LINE = FarFixture.LINE;
    private static final int LINES = FarFixture.LINES;
    private static final int LONGS_PER_LINE = FarFixture.LONGS_PER_LINE;

    /**
     * How the program reaches the node, and the echo goes: {@code udp} (loopback, each side its own media driver) or
     * {@code ipc} (shared memory through one driver, as under {@code bin/splitheap run}).
     */
    @Param({"udp", "ipc"})
    public String transport;

    private final ErrorLog errors = new ErrorLog("bench", System.err);
    private final SplittableRandom random = new SplittableRandom(7);
    private FarFixture fixture;
    private RemoteBackend backend;
    private long[] far;
    private long farAddress;
    private long lineBuffer;
    private AeronResources echoClient;
    private AeronResources echoServerDriver;
    private EchoServer echoServer;
    private ExclusivePublication echoPublication;
    private Subscription echoReplies;
    private FragmentAssembler echoAssembler;
    private UnsafeBuffer message;
    private long echoed;

    /**
     * A one-node cluster, a 32 MiB far array written once (so its lines live on the node), a 256-line ExCache, and
     * the echo pair.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        fixture = new FarFixture(transport, 0, errors);
        backend = fixture.backend;
        far = fixture.far;
        farAddress = io.splitheap.agent.core.FarRegistry.find(far).address();
        lineBuffer = UnsafeApi.allocateMemory(LINE);
        setUpEcho();
    }

    private void setUpEcho()
    {
        final Map<String, String> none = Map.of();
        final long maxPark = CommonConfiguration.idleMaxParkNs(none);
        echoClient = AeronResources.launchEmbedded("bench-client", CommonConfiguration.aeronDirBase(none), 1 << 20,
            maxPark, errors);
        echoServerDriver = AeronResources.launchEmbedded("bench-server", CommonConfiguration.aeronDirBase(none),
            1 << 20, maxPark, errors);
        if ("ipc".equals(transport))
        {
            final String ipc = Channels.ipc(Channels.IPC_TERM_LENGTH);
            echoReplies = echoClient.aeron().addSubscription(ipc, 8);
            echoServer = new EchoServer(echoClient.aeron(), ipc, ipc, maxPark, errors);
            echoPublication = echoClient.aeron().addExclusivePublication(ipc, 7);
            awaitEchoConnected();
            return;
        }
        echoReplies = echoClient.aeron().addSubscription(Channels.subscription(new Endpoint("127.0.0.1", 0)), 8);
        String replyEndpoint;
        while ((replyEndpoint = echoReplies.resolvedEndpoint()) == null)
        {
            Thread.yield();
        }
        echoServer = new EchoServer(echoServerDriver.aeron(), Endpoint.parse(replyEndpoint), maxPark, errors);
        echoPublication = echoClient.aeron().addExclusivePublication(
            Channels.publication(echoServer.endpoint(), 8192, 1 << 20), 7);
        awaitEchoConnected();
    }

    private void awaitEchoConnected()
    {
        while (!echoPublication.isConnected() || echoReplies.imageCount() == 0)
        {
            Thread.yield();
        }
        echoAssembler = new FragmentAssembler((buffer, offset, length, header) -> echoed++);
        message = new UnsafeBuffer(new byte[LINE + 64]);
    }

    /**
     * Stops everything it started.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        fixture.close();
        echoServer.close();
        echoPublication.close();
        echoReplies.close();
        echoClient.close();
        echoServerDriver.close();
        UnsafeApi.freeMemory(lineBuffer);
    }

    /**
     * A 4 KiB message to the echo agent and back.
     *
     * @return messages echoed so far.
     */
    @Benchmark
    public long aeronEcho()
    {
        final long want = echoed + 1;
        while (echoPublication.offer(message) < 0)
        {
            Thread.yield();
        }
        int idle = 0;
        while (echoed < want)
        {
            if (echoReplies.poll(echoAssembler, 16) == 0)
            {
                IdleStrategies.pause(++idle, 20_000);
            }
            else
            {
                idle = 0;
            }
        }
        return echoed;
    }

    /**
     * One line read from the memory node, no cache.
     *
     * @return a word of the line.
     */
    @Benchmark
    public long backendReadLine()
    {
        backend.readLine(farAddress + (long)random.nextInt(LINES) * LINE, lineBuffer, LINE);
        return UnsafeApi.getLong(lineBuffer);
    }

    /**
     * A far-array read that almost always misses (8192 lines through 256 frames).
     *
     * @return the element.
     */
    @Benchmark
    public long excacheMiss()
    {
        return FarAccess.laload(far, random.nextInt(LINES) * LONGS_PER_LINE);
    }
}
