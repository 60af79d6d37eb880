package io.splitheap.bench.throughput;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.Channels;
import io.splitheap.protocol.transport.IdleStrategies;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw transport, measured on the channels Splitheap uses, with nothing of Splitheap on the path: an embedded media
 * driver (shared threading mode, backoff idling, as the nodes run it), a round trip of one message through an echo
 * thread (p50 and p99), and streaming of messages from one publication to one subscription (MB/s). {@code udp} is a
 * unicast channel on 127.0.0.1 (what agents and memory nodes use today), {@code ipc} the shared-memory channel of one
 * media driver. These are the floors a miss and a sweep of misses are compared with.
 *
 * @param channel       ipc or udp.
 * @param messageBytes  bytes per message.
 * @param echoP50Us     median round trip.
 * @param echoP99Us     99th percentile round trip.
 * @param streamMbPerS  streaming throughput, MB/s (10^6 bytes).
 */
public record TransportProbe(String channel, int messageBytes, double echoP50Us, double echoP99Us,
    double streamMbPerS)
{
    private static final int ECHO_WARMUP = 500;
    private static final int ECHO_ROUNDS = 3000;
    private static final long STREAM_WARMUP_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long STREAM_NS = TimeUnit.SECONDS.toNanos(2);
    private static final int TERM_LENGTH = 4 << 20;

    /**
     * The line printed by {@code bench transport}.
     *
     * @return {@code TRANSPORT channel=... message_bytes=... echo_p50_us=... echo_p99_us=... stream_mb_s=...}.
     */
    public String line()
    {
        return String.format(Locale.ROOT, "TRANSPORT channel=%s message_bytes=%d echo_p50_us=%.1f echo_p99_us=%.1f " +
            "stream_mb_s=%.1f", channel, messageBytes, echoP50Us, echoP99Us, streamMbPerS);
    }

    /**
     * Streaming throughput in bytes per second.
     *
     * @return bytes/s.
     */
    public double streamBytesPerSecond()
    {
        return streamMbPerS * 1e6;
    }

    /**
     * Measures one channel and message size.
     *
     * @param channel      ipc or udp.
     * @param messageBytes bytes per message.
     * @return the figures.
     */
    public static TransportProbe measure(final String channel, final int messageBytes)
    {
        final Map<String, String> none = Map.of();
        final ErrorLog errors = new ErrorLog("bench-transport", System.err);
        try (AeronResources aeron = AeronResources.launchEmbedded("bench-transport",
            CommonConfiguration.aeronDirBase(none), TERM_LENGTH, CommonConfiguration.idleMaxParkNs(none), errors))
        {
            final double[] echo = echo(aeron, channel, messageBytes);
            final double stream = stream(aeron, channel, messageBytes);
            return new TransportProbe(channel, messageBytes, echo[0], echo[1], stream / 1e6);
        }
    }

    private static String[] channels(final AeronResources aeron, final String channel, final int streamId)
    {
        if ("ipc".equals(channel))
        {
            final String ipc = "aeron:ipc?term-length=" + TERM_LENGTH;
            return new String[]{ipc, ipc};
        }
        final Subscription probe = aeron.aeron().addSubscription(Channels.subscription(
            new Endpoint("127.0.0.1", 0)), streamId);
        String resolved;
        while ((resolved = probe.resolvedEndpoint()) == null)
        {
            Thread.yield();
        }
        probe.close();
        final Endpoint endpoint = Endpoint.parse(resolved);
        return new String[]{Channels.subscription(endpoint), Channels.publication(endpoint, 8192, TERM_LENGTH)};
    }

    private static double[] echo(final AeronResources aeron, final String channel, final int messageBytes)
    {
        final String[] requests = channels(aeron, channel, 7101);
        final String[] replies = channels(aeron, channel, 7102);
        try (Subscription requestSub = aeron.aeron().addSubscription(requests[0], 7101);
            ExclusivePublication requestPub = aeron.aeron().addExclusivePublication(requests[1], 7101);
            Subscription replySub = aeron.aeron().addSubscription(replies[0], 7102);
            ExclusivePublication replyPub = aeron.aeron().addExclusivePublication(replies[1], 7102))
        {
            final AtomicLong stop = new AtomicLong();
            final FragmentAssembler echoBack = new FragmentAssembler((buffer, offset, length, header) ->
            {
                while (replyPub.offer(buffer, offset, length) < 0)
                {
                    Thread.yield();
                }
            });
            final Thread echo = new Thread(() ->
            {
                int idle = 0;
                while (stop.get() == 0)
                {
                    idle = requestSub.poll(echoBack, 16) > 0 ? 0 : idle + 1;
                    IdleStrategies.pause(idle, 20_000);
                }
            }, "bench-echo");
            echo.setDaemon(true);
            echo.start();
            awaitConnected(requestPub, replyPub, replySub);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[messageBytes]);
            final long[] received = {0};
            final FragmentAssembler count = new FragmentAssembler((buffer, offset, length, header) -> received[0]++);
            final long[] nanos = new long[ECHO_ROUNDS];
            for (int round = -ECHO_WARMUP; round < ECHO_ROUNDS; round++)
            {
                final long start = System.nanoTime();
                while (requestPub.offer(message, 0, messageBytes) < 0)
                {
                    Thread.yield();
                }
                final long want = received[0] + 1;
                int idle = 0;
                while (received[0] < want)
                {
                    idle = replySub.poll(count, 16) > 0 ? 0 : idle + 1;
                    IdleStrategies.pause(idle, 20_000);
                }
                if (round >= 0)
                {
                    nanos[round] = System.nanoTime() - start;
                }
            }
            stop.set(1);
            join(echo);
            Arrays.sort(nanos);
            return new double[]{nanos[ECHO_ROUNDS / 2] / 1e3, nanos[ECHO_ROUNDS * 99 / 100] / 1e3};
        }
    }

    private static double stream(final AeronResources aeron, final String channel, final int messageBytes)
    {
        final String[] stream = channels(aeron, channel, 7103);
        try (Subscription sub = aeron.aeron().addSubscription(stream[0], 7103);
            ExclusivePublication pub = aeron.aeron().addExclusivePublication(stream[1], 7103))
        {
            final AtomicLong bytes = new AtomicLong();
            final AtomicLong stop = new AtomicLong();
            final FragmentAssembler sink = new FragmentAssembler((buffer, offset, length, header) ->
                bytes.addAndGet(length));
            final Thread reader = new Thread(() ->
            {
                int idle = 0;
                while (stop.get() == 0)
                {
                    idle = sub.poll(sink, 64) > 0 ? 0 : idle + 1;
                    IdleStrategies.pause(idle, 20_000);
                }
            }, "bench-stream-reader");
            reader.setDaemon(true);
            reader.start();
            awaitConnected(pub, null, sub);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[messageBytes]);
            final long begin = System.nanoTime();
            long measuredFrom = 0;
            long bytesAtStart = 0;
            int idle = 0;
            while (true)
            {
                final long now = System.nanoTime();
                if (measuredFrom == 0 && now - begin > STREAM_WARMUP_NS)
                {
                    measuredFrom = now;
                    bytesAtStart = bytes.get();
                }
                if (measuredFrom != 0 && now - measuredFrom > STREAM_NS)
                {
                    final double rate = (bytes.get() - bytesAtStart) * 1e9 / (now - measuredFrom);
                    stop.set(1);
                    join(reader);
                    return rate;
                }
                idle = pub.offer(message, 0, messageBytes) > 0 ? 0 : idle + 1;
                if (idle > 0)
                {
                    IdleStrategies.pause(idle, 20_000);
                }
            }
        }
    }

    private static void awaitConnected(
        final ExclusivePublication first, final ExclusivePublication second, final Subscription subscription)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!first.isConnected() || (second != null && !second.isConnected()) || subscription.imageCount() == 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("transport probe: channels did not connect within 10 s");
            }
            Thread.yield();
        }
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
