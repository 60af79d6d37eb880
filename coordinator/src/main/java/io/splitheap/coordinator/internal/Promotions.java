package io.splitheap.coordinator.internal;

import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.ErrorHandler;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The failover's handover: each surviving node is told its new role for the vRegions of a process it takes over (one
 * operation per process and node), and the process is pushed the new routes once that node acknowledged. A node that
 * does not acknowledge (no answer within the request timeout, a link that cannot send, or a refusal) gets a WARN naming
 * the vRegions, the process and the node, and is asked again {@link #RETRY_DELAY_NS} later, at most
 * {@link #MAX_ATTEMPTS} times in all; then its vRegions are declared lost (WARN, {@link #lost()}), and the process
 * keeps its old routes, so its accesses fail with an error naming the node instead of waiting. So a promotion ends,
 * one way or the other, within {@code MAX_ATTEMPTS} request timeouts plus the delays between them. Nothing is asked
 * again once it no longer matters: the process left, the node died (its own failover takes over), or the vRegion's
 * record changed since.
 */
public final class Promotions
{
    static final int MAX_ATTEMPTS = 3;
    static final long RETRY_DELAY_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long NOT_SCHEDULED = Long.MIN_VALUE;

    /**
     * Sends one vRegion's new role to the node that takes it, as a step of an operation.
     */
    @FunctionalInterface
    public interface Assigner
    {
        /**
         * Tells a node it is now the primary of a vRegion.
         *
         * @param operation the operation this is a step of.
         * @param node      the node.
         * @param pid       the process.
         * @param region    the vRegion's new record.
         */
        void assignPrimary(PendingOperation operation, MemberNode node, int pid, RegionRecord region);
    }

    /**
     * The vRegions of one process that one node takes over, and how often it was asked.
     */
    private static final class Handover
    {
        final ProcessRecord process;
        final int nodeId;
        final List<RegionRecord> regions;
        final int attempt;
        long dueNs = NOT_SCHEDULED;

        Handover(final ProcessRecord process, final int nodeId, final List<RegionRecord> regions, final int attempt)
        {
            this.process = process;
            this.nodeId = nodeId;
            this.regions = regions;
            this.attempt = attempt;
        }

        String describe()
        {
            final StringBuilder vRegions = new StringBuilder();
            for (final RegionRecord region : regions)
            {
                vRegions.append(vRegions.length() == 0 ? "" : ",").append(region.vRegion());
            }
            return "vRegion=" + vRegions + " of pid=" + process.pid() + " (epoch=" + regions.get(0).epoch() +
                ") to node=" + nodeId;
        }
    }

    private final ClusterRegistry registry;
    private final Assigner assigner;
    private final PendingOperations pending;
    private final BiConsumer<ProcessRecord, List<RegionRecord>> routesChanged;
    private final ErrorHandler errorHandler;
    private final List<Handover> retries = new ArrayList<>();
    private long lost;

    /**
     * Promotions over a cluster's records.
     *
     * @param registry      the cluster.
     * @param assigner      sends a node its new role.
     * @param pending       where those requests are tracked.
     * @param routesChanged pushes a process its new routes.
     * @param errorHandler  receives the WARN lines.
     */
    public Promotions(
        final ClusterRegistry registry,
        final Assigner assigner,
        final PendingOperations pending,
        final BiConsumer<ProcessRecord, List<RegionRecord>> routesChanged,
        final ErrorHandler errorHandler)
    {
        this.registry = registry;
        this.assigner = assigner;
        this.pending = pending;
        this.routesChanged = routesChanged;
        this.errorHandler = errorHandler;
    }

    /**
     * Hands vRegions of a process (already re-recorded) to the nodes their new records name as primary.
     *
     * @param process the process.
     * @param updated its vRegions' new records.
     * @param nowNs   time.
     */
    public void start(final ProcessRecord process, final List<RegionRecord> updated, final long nowNs)
    {
        final Map<Integer, List<RegionRecord>> byNode = new LinkedHashMap<>();
        for (final RegionRecord region : updated)
        {
            byNode.computeIfAbsent(region.primaryNodeId(), id -> new ArrayList<>()).add(region);
        }
        for (final Map.Entry<Integer, List<RegionRecord>> node : byNode.entrySet())
        {
            send(new Handover(process, node.getKey(), node.getValue(), 1), nowNs);
        }
    }

    /**
     * Asks again the nodes whose delay passed.
     *
     * @param nowNs time.
     * @return handovers sent again.
     */
    public int retryDue(final long nowNs)
    {
        int work = 0;
        final List<Handover> due = new ArrayList<>();
        for (final Iterator<Handover> it = retries.iterator(); it.hasNext(); )
        {
            final Handover handover = it.next();
            if (handover.dueNs == NOT_SCHEDULED)
            {
                // failures come without the time (an acknowledgement, a refusal): the delay starts at the next check
                handover.dueNs = nowNs + RETRY_DELAY_NS;
            }
            else if (nowNs - handover.dueNs >= 0)
            {
                it.remove();
                due.add(handover);
            }
        }
        for (final Handover handover : due)
        {
            final String gone = stillMatters(handover);
            if (gone == null)
            {
                send(handover, nowNs);
                work++;
            }
            else
            {
                warn("failover of " + handover.describe() + " not asked again: " + gone);
            }
        }
        return work;
    }

    /**
     * vRegions declared lost because the node that was to take them never acknowledged.
     *
     * @return count.
     */
    public long lost()
    {
        return lost;
    }

    /**
     * Handovers waiting to be asked again.
     *
     * @return count.
     */
    int waiting()
    {
        return retries.size();
    }

    private void send(final Handover handover, final long nowNs)
    {
        final PendingOperation operation = new PendingOperation(null, 0, nowNs,
            done -> routesChanged.accept(handover.process, handover.regions),
            failed -> failed(handover, failed));
        pending.begin(operation);
        final MemberNode node = registry.node(handover.nodeId);
        for (final RegionRecord region : handover.regions)
        {
            assigner.assignPrimary(operation, node, handover.process.pid(), region);
        }
        pending.seal(operation);
    }

    private void failed(final Handover handover, final PendingOperation operation)
    {
        final String gone = stillMatters(handover);
        final String what = "failover of " + handover.describe() + " not acknowledged (attempt " + handover.attempt +
            " of " + MAX_ATTEMPTS + ": " + operation.failureMessage() + ")";
        if (gone != null)
        {
            warn(what + "; not asked again: " + gone);
        }
        else if (handover.attempt < MAX_ATTEMPTS)
        {
            warn(what + "; asking again in " + TimeUnit.NANOSECONDS.toMillis(RETRY_DELAY_NS) + "ms");
            retries.add(new Handover(handover.process, handover.nodeId, handover.regions, handover.attempt + 1));
        }
        else
        {
            lost += handover.regions.size();
            warn(what + "; declared lost: the process keeps its old routes and its accesses to these vRegions " +
                "fail; check node=" + handover.nodeId + " (its log, its load) and restart the program");
        }
    }

    /**
     * Why a handover need not be asked again, or null if it still matters.
     */
    private String stillMatters(final Handover handover)
    {
        if (registry.process(handover.process.pid()) != handover.process)
        {
            return "the process left";
        }
        final MemberNode node = registry.node(handover.nodeId);
        if (node == null || !node.isAlive())
        {
            return "node=" + handover.nodeId + " is dead too (its own failover handles its vRegions)";
        }
        for (final RegionRecord region : handover.regions)
        {
            if (handover.process.region(region.vRegion()) != region)
            {
                return "vRegion=" + region.vRegion() + " was re-assigned since";
            }
        }
        return null;
    }

    private void warn(final String message)
    {
        errorHandler.onError(new SplitheapException(message, SplitheapException.Category.WARN, null));
    }
}
