package io.splitheap.bench;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.Channels;
import io.splitheap.protocol.transport.IdleStrategies;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streaming far memory against the transport's own streaming, in one JVM and one run: each operation moves the same
 * 32 MiB.
 * <ul>
 *     <li>{@code farSweep}: one thread reads one word of every line of a 32 MiB far array through a 1 MiB ExCache
 *     under FIFO, so nothing it needs is resident and everything comes by readahead from the memory node;</li>
 *     <li>{@code aeronStream}: the same bytes as 4 KiB messages from a publication to a subscriber thread on the same
 *     kind of channel (the raw limit of the first).</li>
 * </ul>
 * {@code aeronStream / farSweep} (time per operation) is the fraction of the transport's streaming rate that a far
 * sweep reaches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchFlags.ADD_EXPORTS_MISC, "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "-Dchronicle.analytics.disable=true"})
public class StreamBenchmark
{
    private static final int LINE = FarFixture.LINE;
    private static final int LINES = FarFixture.LINES;
    private static final int LONGS_PER_LINE = FarFixture.LONGS_PER_LINE;
    private static final int STREAM_ID = 7201;

    /**
     * {@code ipc} (the program shares the cluster's media driver) or {@code udp} (its own driver, loopback).
     */
    @Param({"ipc", "udp"})
    public String transport;

    private final ErrorLog errors = new ErrorLog("bench-stream", System.err);
    private FarFixture fixture;
    private long[] far;
    private AeronResources raw;
    private ExclusivePublication publication;
    private Subscription subscription;
    private Thread reader;
    private final AtomicLong received = new AtomicLong();
    private volatile boolean stop;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[LINE]);

    /**
     * A one-node cluster, a 32 MiB far array written once, a 1 MiB ExCache with readahead, and the raw stream.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        fixture = new FarFixture(transport, 32, errors);
        far = fixture.far;
        setUpStream();
    }

    private void setUpStream()
    {
        final Map<String, String> none = Map.of();
        raw = AeronResources.launchEmbedded("bench-stream", CommonConfiguration.aeronDirBase(none), 4 << 20,
            CommonConfiguration.idleMaxParkNs(none), errors);
        final String[] channels;
        if ("ipc".equals(transport))
        {
            final String ipc = Channels.ipc(Channels.IPC_TERM_LENGTH);
            channels = new String[]{ipc, ipc};
        }
        else
        {
            final Subscription probe = raw.aeron().addSubscription(
                Channels.subscription(new Endpoint("127.0.0.1", 0)), STREAM_ID);
            String resolved;
            while ((resolved = probe.resolvedEndpoint()) == null)
            {
                Thread.yield();
            }
            probe.close();
            final Endpoint endpoint = Endpoint.parse(resolved);
            channels = new String[]{Channels.subscription(endpoint),
                Channels.publication(endpoint, CommonConfiguration.MTU_DEFAULT, 4 << 20)};
        }
        subscription = raw.aeron().addSubscription(channels[0], STREAM_ID);
        publication = raw.aeron().addExclusivePublication(channels[1], STREAM_ID);
        final FragmentAssembler sink = new FragmentAssembler((buffer, offset, length, header) ->
            received.addAndGet(length));
        reader = new Thread(() ->
        {
            int idle = 0;
            while (!stop)
            {
                idle = subscription.poll(sink, 64) > 0 ? 0 : idle + 1;
                IdleStrategies.pause(idle, 20_000);
            }
        }, "bench-stream-reader");
        reader.setDaemon(true);
        reader.start();
        while (!publication.isConnected())
        {
            Thread.yield();
        }
    }

    /**
     * Stops everything it started.
     *
     * @throws InterruptedException if interrupted while joining the reader.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        stop = true;
        reader.join();
        publication.close();
        subscription.close();
        raw.close();
        fixture.close();
    }

    /**
     * One word of every line of the far array, nothing resident at the start (the array is 32 times the ExCache).
     *
     * @return the sum of the words read.
     */
    @Benchmark
    public long farSweep()
    {
        long sum = 0;
        for (int line = 0; line < LINES; line++)
        {
            sum += FarAccess.laload(far, line * LONGS_PER_LINE);
        }
        return sum;
    }

    /**
     * The same bytes as 4 KiB messages through the raw channel, until the reader has them all.
     *
     * @return bytes received so far.
     */
    @Benchmark
    public long aeronStream()
    {
        final long target = received.get() + (long)LINES * LINE;
        for (int i = 0; i < LINES; i++)
        {
            while (publication.offer(message, 0, LINE) < 0)
            {
                Thread.yield();
            }
        }
        int idle = 0;
        while (received.get() < target)
        {
            IdleStrategies.pause(++idle, 20_000);
        }
        return received.get();
    }
}
