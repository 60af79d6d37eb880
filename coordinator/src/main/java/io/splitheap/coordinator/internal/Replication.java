package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.codecs.RegionSyncedDecoder;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.runtime.RateLimitedLog;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.IntHashSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Re-replication: gives a new secondary to every vRegion that has none (after a failover, or placed when no node had
 * room) as soon as a node has room for its copy, one vRegion per primary at a time:
 * <ol>
 *     <li>PREPARING: the new secondary is told its role at the next epoch, to be filled by a copy (it forgets what it
 *     held of the vRegion); from now on vma changes and the capacity charge include it, but agents are not routed to
 *     it.</li>
 *     <li>The primary is told to copy the vRegion to it at that epoch ({@code SyncRegion}): it takes the new epoch,
 *     sends the vmas, and answers once the secondary has them.</li>
 *     <li>SYNCING: the processes get the new routes (the next epoch, the new secondary), so every write-back goes to
 *     both, while the primary copies its pages at a bounded rate (the rules that keep a late copy from overtaking a
 *     newer write are in the memory node's {@code SyncSource} and {@code SyncTarget}).</li>
 *     <li>SYNCED: the primary reports the copy complete ({@code RegionSynced}); the secondary may now be promoted.</li>
 * </ol>
 * A failure at any step (a node refuses, does not answer in time, or the copy fails) ends the attempt: the primary is
 * told to go on alone at an epoch above the copy's (if it may have taken the copy's), the routes follow, the would-be
 * secondary forgets the vRegion, and the vRegion is tried again after {@link #RETRY_DELAY_NS}. A failover that
 * reassigns the vRegion meanwhile supersedes the attempt.
 */
public final class Replication
{
    /**
     * How often vRegions without a secondary are looked for (and at once when an attempt ends).
     */
    static final long SCAN_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How long a vRegion whose copy failed waits before it is tried again.
     */
    static final long RETRY_DELAY_NS = TimeUnit.SECONDS.toNanos(5);

    private final ClusterRegistry registry;
    private final NodeCommands commands;
    private final PendingOperations pending;
    private final RoutingPublisher routing;
    private final ErrorHandler errorHandler;
    private final RateLimitedLog noRoomLog;
    private final long token;
    private final long bytesPerSecond;
    private final long timeoutNs;
    private final Map<Key, Attempt> attempts = new HashMap<>();
    private final Map<Key, Long> retryAfterNs = new HashMap<>();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final RegionSyncedDecoder syncedDecoder = new RegionSyncedDecoder();
    private long lastScanNs;

    /**
     * Re-replication over a cluster's records.
     *
     * @param registry       the cluster.
     * @param commands       control requests to nodes.
     * @param pending        where those requests are tracked.
     * @param routing        routing pushes to processes.
     * @param errorHandler   receives what happened.
     * @param token          the coordinator token, which a node's {@code RegionSynced} must carry.
     * @param bytesPerSecond most bytes per second a primary copies; 0 turns re-replication off.
     * @param timeoutNs      the request timeout.
     */
    public Replication(
        final ClusterRegistry registry,
        final NodeCommands commands,
        final PendingOperations pending,
        final RoutingPublisher routing,
        final ErrorHandler errorHandler,
        final long token,
        final long bytesPerSecond,
        final long timeoutNs)
    {
        this.registry = registry;
        this.commands = commands;
        this.pending = pending;
        this.routing = routing;
        this.errorHandler = errorHandler;
        this.noRoomLog = new RateLimitedLog(errorHandler);
        this.token = token;
        this.bytesPerSecond = bytesPerSecond;
        this.timeoutNs = timeoutNs;
    }

    /**
     * Starts copies for vRegions without a secondary, and ends attempts that passed their deadline.
     *
     * @param nowNs time.
     * @return work done.
     */
    public int doWork(final long nowNs)
    {
        if (bytesPerSecond <= 0 || nowNs - lastScanNs < SCAN_INTERVAL_NS)
        {
            return 0;
        }
        lastScanNs = nowNs;
        int work = 0;
        for (final Attempt attempt : List.copyOf(attempts.values()))
        {
            if (!isCurrent(attempt))
            {
                // a failover reassigned the vRegion meanwhile; what the nodes do with it follows that
                attempts.remove(attempt.key);
                work++;
            }
            else if (nowNs > attempt.deadlineNs)
            {
                failed(attempt, attempt.restored ? "the coordinator restarted during the copy" :
                    "no end of the copy within " + (nowNs - attempt.startedNs) / 1_000_000 + "ms");
                work++;
            }
        }
        retryAfterNs.values().removeIf(retryAtNs -> retryAtNs <= nowNs);
        final IntHashSet busy = new IntHashSet();
        for (final Attempt attempt : attempts.values())
        {
            busy.add(attempt.primaryId);
        }
        int noRoom = 0;
        for (final ProcessRecord process : registry.processes())
        {
            for (final RegionRecord region : process.regions())
            {
                if (region.secondaryState() != SecondaryState.NONE || busy.contains(region.primaryNodeId()))
                {
                    continue;
                }
                final Key key = new Key(process.pid(), region.vRegion());
                final MemberNode primary = registry.node(region.primaryNodeId());
                if (primary == null || !primary.isPlaceable() || retryAfterNs.containsKey(key))
                {
                    continue;
                }
                final MemberNode secondary = registry.chooseSecondary(region.live(), primary.id());
                if (secondary == null)
                {
                    noRoom += registry.placeableNodes() > 1 ? 1 : 0;
                    continue;
                }
                start(process, region, primary, secondary, nowNs);
                busy.add(primary.id());
                work++;
            }
        }
        if (noRoom > 0)
        {
            final int count = noRoom;
            noRoomLog.warn(nowNs, () -> count + " vRegion(s) run without a secondary: no other memory node has room " +
                "for a copy; add memory nodes or capacity");
        }
        return work;
    }

    /**
     * After a restart from persisted state: every copy to a new secondary that was under way is abandoned at the next
     * scan, as a copy that did not finish in time is (the primary goes on alone at a newer epoch, the routes follow,
     * the secondary drops what it got), and tried again later. The restarted coordinator knows neither how far the
     * copy got nor whether the primary heard of it, and this path is right whatever the answers.
     *
     * @param nowNs current nano time.
     * @return copies abandoned.
     */
    public int restored(final long nowNs)
    {
        int abandoned = 0;
        for (final ProcessRecord process : registry.processes())
        {
            for (final RegionRecord region : process.regions())
            {
                final SecondaryState state = region.secondaryState();
                if (state == SecondaryState.PREPARING || state == SecondaryState.SYNCING)
                {
                    final long epoch = state == SecondaryState.SYNCING ? region.epoch() : region.epoch() + 1;
                    final Attempt attempt = new Attempt(new Key(process.pid(), region.vRegion()),
                        region.primaryNodeId(), region.secondaryNodeId(), epoch, nowNs, nowNs);
                    attempt.primaryTold = true;
                    attempt.restored = true;
                    attempts.put(attempt.key, attempt);
                    abandoned++;
                }
            }
        }
        return abandoned;
    }

    /**
     * A primary reports the end of a copy.
     *
     * @param buffer the message.
     * @param nowNs  time.
     */
    public void onRegionSynced(final DirectBuffer buffer, final long nowNs)
    {
        syncedDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        if (syncedDecoder.token() != token)
        {
            errorHandler.onError(new SplitheapException("RegionSynced without the coordinator token from node=" +
                syncedDecoder.nodeId() + " ignored", SplitheapException.Category.WARN, null));
            return;
        }
        final Attempt attempt = attempts.get(new Key(syncedDecoder.pid(), syncedDecoder.vRegion()));
        if (attempt == null || attempt.epoch != syncedDecoder.epoch() || attempt.primaryId != syncedDecoder.nodeId() ||
            attempt.secondaryId != syncedDecoder.secondaryNodeId() || !isCurrent(attempt))
        {
            return;
        }
        final long pages = syncedDecoder.pagesCopied();
        final long bytes = syncedDecoder.bytesSent();
        final long elapsedNs = syncedDecoder.elapsedNs();
        final boolean succeeded = syncedDecoder.succeeded() == BooleanType.TRUE;
        final String message = syncedDecoder.message();
        if (!succeeded)
        {
            failed(attempt, "node=" + attempt.primaryId + ": " + message);
            return;
        }
        final ProcessRecord process = registry.process(attempt.key.pid);
        final RegionRecord region = process.region(attempt.key.vRegion);
        registry.reassign(process, region, attempt.primaryId, attempt.secondaryId, attempt.epoch,
            SecondaryState.SYNCED);
        attempts.remove(attempt.key);
        lastScanNs = 0;
        errorHandler.onError(new SplitheapException("vRegion=" + attempt.key.vRegion + " of pid=" + attempt.key.pid +
            " re-replicated from node=" + attempt.primaryId + " to node=" + attempt.secondaryId + " at epoch=" +
            attempt.epoch + ": " + pages + " pages (" + bytes / 1024 + " KiB sent) in " + elapsedNs / 1_000_000 +
            "ms of copying, " + (nowNs - attempt.startedNs) / 1_000_000 + "ms in all",
            SplitheapException.Category.INFO, null));
    }

    private void start(
        final ProcessRecord process,
        final RegionRecord region,
        final MemberNode primary,
        final MemberNode secondary,
        final long nowNs)
    {
        final Attempt attempt = new Attempt(new Key(process.pid(), region.vRegion()), primary.id(), secondary.id(),
            region.epoch() + 1, nowNs, nowNs + 3 * timeoutNs);
        attempts.put(attempt.key, attempt);
        registry.reassign(process, region, primary.id(), secondary.id(), region.epoch(), SecondaryState.PREPARING);
        final PendingOperation operation = new PendingOperation(
            nowNs, done -> prepared(attempt), failure -> failed(attempt, failure.failureMessage()));
        pending.begin(operation);
        commands.assignRegion(operation, secondary, process.pid(), region.vRegion(), attempt.epoch,
            RegionRole.SECONDARY, primary.id(), secondary.id(), true);
        pending.seal(operation);
    }

    private void prepared(final Attempt attempt)
    {
        if (!isCurrent(attempt))
        {
            return;
        }
        attempt.primaryTold = true;
        final PendingOperation operation = new PendingOperation(
            System.nanoTime(), done -> copying(attempt), failure -> failed(attempt, failure.failureMessage()));
        pending.begin(operation);
        commands.syncRegion(operation, registry.node(attempt.primaryId), attempt.key.pid, attempt.key.vRegion,
            attempt.epoch, registry.node(attempt.secondaryId), bytesPerSecond);
        pending.seal(operation);
    }

    private void copying(final Attempt attempt)
    {
        if (!isCurrent(attempt))
        {
            return;
        }
        final long nowNs = System.nanoTime();
        final ProcessRecord process = registry.process(attempt.key.pid);
        final RegionRecord region = process.region(attempt.key.vRegion);
        final RegionRecord next = registry.reassign(process, region, attempt.primaryId, attempt.secondaryId,
            attempt.epoch, SecondaryState.SYNCING);
        // generous: the copy runs at the rate at best, and the live bytes bound the pages to copy
        attempt.deadlineNs = nowNs + 3 * timeoutNs + 4 * (next.live() / bytesPerSecond + 1) * 1_000_000_000L;
        routing.regionsChanged(process, List.of(next));
        errorHandler.onError(new SplitheapException("vRegion=" + attempt.key.vRegion + " of pid=" + attempt.key.pid +
            " is copied from node=" + attempt.primaryId + " to its new secondary node=" + attempt.secondaryId +
            " at epoch=" + attempt.epoch + " (" + next.live() / 1024 + " KiB live, at most " +
            bytesPerSecond / 1024 + " KiB/s)", SplitheapException.Category.INFO, null));
    }

    private void failed(final Attempt attempt, final String why)
    {
        if (attempts.get(attempt.key) != attempt)
        {
            return;
        }
        attempts.remove(attempt.key);
        final long nowNs = System.nanoTime();
        lastScanNs = 0;
        retryAfterNs.put(attempt.key, nowNs + RETRY_DELAY_NS);
        errorHandler.onError(new SplitheapException("re-replication of vRegion=" + attempt.key.vRegion + " of pid=" +
            attempt.key.pid + " from node=" + attempt.primaryId + " to node=" + attempt.secondaryId + " failed (" +
            why + "); tried again in " + RETRY_DELAY_NS / 1_000_000_000L + "s", SplitheapException.Category.WARN,
            null));
        if (!isCurrent(attempt))
        {
            return;
        }
        final ProcessRecord process = registry.process(attempt.key.pid);
        final RegionRecord region = process.region(attempt.key.vRegion);
        final MemberNode primary = registry.node(attempt.primaryId);
        final MemberNode secondary = registry.node(attempt.secondaryId);
        final PendingOperation operation = new PendingOperation(nowNs, Replication::ignore, Replication::ignore);
        pending.begin(operation);
        if (!attempt.primaryTold || !primary.isAlive())
        {
            // the primary and the routes never heard of the new secondary, or the primary is gone (and the vRegion
            // with it, unless it comes back)
            registry.reassign(process, region, attempt.primaryId, 0, region.epoch(), SecondaryState.NONE);
        }
        else
        {
            // the primary may have taken the copy's epoch: it goes on alone above it, and the routes follow
            final RegionRecord alone = registry.reassign(
                process, region, attempt.primaryId, 0, attempt.epoch + 1, SecondaryState.NONE);
            final PendingOperation reassert = new PendingOperation(
                nowNs, done -> routing.regionsChanged(process, List.of(alone)), Replication::ignore);
            pending.begin(reassert);
            commands.assignRegion(reassert, primary, process.pid(), alone, RegionRole.PRIMARY);
            pending.seal(reassert);
        }
        if (secondary != null && secondary.isAlive())
        {
            commands.dropRegion(operation, secondary, process.pid(), attempt.key.vRegion, attempt.epoch);
        }
        pending.seal(operation);
    }

    private static void ignore(final PendingOperation operation)
    {
        // best effort: a node that does not answer is declared dead, or hears of the vRegion again
    }

    /**
     * Whether the vRegion's record is still the one this attempt made: same process, nodes, and a copy under way.
     */
    private boolean isCurrent(final Attempt attempt)
    {
        final ProcessRecord process = registry.process(attempt.key.pid);
        final RegionRecord region = process == null ? null : process.region(attempt.key.vRegion);
        return region != null && region.primaryNodeId() == attempt.primaryId &&
            region.secondaryNodeId() == attempt.secondaryId &&
            (region.secondaryState() == SecondaryState.PREPARING || region.secondaryState() == SecondaryState.SYNCING);
    }

    private record Key(int pid, long vRegion)
    {
    }

    private static final class Attempt
    {
        final Key key;
        final int primaryId;
        final int secondaryId;
        final long epoch;
        final long startedNs;
        long deadlineNs;
        boolean primaryTold;
        boolean restored;

        Attempt(
            final Key key,
            final int primaryId,
            final int secondaryId,
            final long epoch,
            final long startedNs,
            final long deadlineNs)
        {
            this.key = key;
            this.primaryId = primaryId;
            this.secondaryId = secondaryId;
            this.epoch = epoch;
            this.startedNs = startedNs;
            this.deadlineNs = deadlineNs;
        }
    }
}
