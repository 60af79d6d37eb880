package io.splitheap.protocol.membership;

import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.ErrorHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A member's view of whether the coordinator still hears it. The coordinator answers every heartbeat
 * ({@code HeartbeatAck}); a member whose heartbeats go unanswered for a while makes its link handshake again. That is
 * how a member finds a coordinator restarted on the same endpoint: the new process knows none of the old sessions and
 * drops what arrives on them, while the member's Aeron publication reconnects to it without noticing anything.
 * <p>
 * Silence counts only while the link is ready: a link that is handshaking (the coordinator is down, or coming back)
 * starts a fresh window once it is ready again, so a member whose coordinator stays down does not handshake in a loop.
 */
public final class CoordinatorWatch
{
    /**
     * Shortest silence after which a member handshakes again, whatever the heartbeat interval.
     */
    public static final long MIN_SILENCE_NS = TimeUnit.SECONDS.toNanos(3);

    /**
     * Heartbeat intervals of silence after which a member handshakes again, when longer than {@link #MIN_SILENCE_NS}.
     */
    public static final int SILENT_INTERVALS = 10;

    private final ServerLink link;
    private final Supplier<String> member;
    private final ErrorHandler errorHandler;
    private volatile long silenceNs;
    private volatile long lastAckNs;
    private volatile long handshakes;

    /**
     * A watch over a member's link to the coordinator.
     *
     * @param link                the link.
     * @param heartbeatIntervalNs the member's heartbeat interval.
     * @param member              names the member, for the log line ("MEMORY node=1", "process pid=3").
     * @param errorHandler        receives the INFO line when the link handshakes again.
     * @param nowNs               current nano time.
     */
    public CoordinatorWatch(
        final ServerLink link,
        final long heartbeatIntervalNs,
        final Supplier<String> member,
        final ErrorHandler errorHandler,
        final long nowNs)
    {
        this.link = link;
        this.member = member;
        this.errorHandler = errorHandler;
        this.lastAckNs = nowNs;
        heartbeatInterval(heartbeatIntervalNs);
    }

    /**
     * The heartbeat interval changed (the coordinator tells it at registration).
     *
     * @param heartbeatIntervalNs nanoseconds.
     */
    public void heartbeatInterval(final long heartbeatIntervalNs)
    {
        silenceNs = Math.max(MIN_SILENCE_NS, SILENT_INTERVALS * heartbeatIntervalNs);
    }

    /**
     * The coordinator answered a heartbeat.
     *
     * @param nowNs current nano time.
     */
    public void acked(final long nowNs)
    {
        lastAckNs = nowNs;
    }

    /**
     * Makes the link handshake again when the coordinator has answered nothing for too long.
     *
     * @param nowNs current nano time.
     * @return true if the link was told to handshake again.
     */
    public boolean check(final long nowNs)
    {
        if (!link.isReady())
        {
            lastAckNs = nowNs;
            return false;
        }
        final long silentNs = nowNs - lastAckNs;
        if (silentNs <= silenceNs || !link.handshakeAgain(nowNs))
        {
            return false;
        }
        lastAckNs = nowNs;
        handshakes++;
        errorHandler.onError(new SplitheapException(member.get() + ": the coordinator at " + link.endpoint() +
            " answered no heartbeat for " + silentNs / 1_000_000 + "ms; connecting again (it may have restarted)",
            SplitheapException.Category.INFO, null));
        return true;
    }

    /**
     * Times the link was told to handshake again.
     *
     * @return count.
     */
    public long handshakes()
    {
        return handshakes;
    }
}
