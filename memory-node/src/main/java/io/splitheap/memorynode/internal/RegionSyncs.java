package io.splitheap.memorynode.internal;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.AckDecoder;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.ErrorResponseDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.RegionSyncedEncoder;
import io.splitheap.protocol.codecs.SyncPagesEncoder;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.membership.NodeMembership;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the copies of vRegions this node is the primary of to their new secondaries ({@link SyncSource}), from the
 * node's duty cycle: each call sends at most one message per copy, at most {@link #WINDOW} unanswered per copy, at
 * most the copy's rate in bytes per second, and looks up at most {@link #LOOKUPS_PER_MESSAGE} pages to fill one, so a
 * copy never holds the node's request loop for long. Ends each copy with {@code RegionSynced} to the coordinator
 * (or, if it fails before the secondary had the vmas, with an error reply to the coordinator's {@code SyncRegion}).
 */
public final class RegionSyncs
{
    /**
     * Messages of one copy in flight at most.
     */
    static final int WINDOW = 4;

    /**
     * Pages of 4 KiB with data in one message at most (64 KiB, below the largest message of a 1 MiB term).
     */
    static final int PAGES_PER_MESSAGE = 16;

    /**
     * Entries of one message at most (pages of zeros take 12 bytes).
     */
    static final int ENTRIES_PER_MESSAGE = 1024;

    /**
     * Page lookups to fill one message at most (most pages of a sparse vRegion were never written).
     */
    static final int LOOKUPS_PER_MESSAGE = 4096;

    private static final int MESSAGE_OVERHEAD = 256;
    private static final int ENTRY_OVERHEAD = Long.BYTES + Integer.BYTES;

    private final NodeState state;
    private final ClientEndpoint client;
    private final NodeMembership membership;
    private final Replier replier;
    private final ErrorHandler errorHandler;
    private final long timeoutNs;
    private final List<SyncSource> sources = new ArrayList<>();
    private final Map<Endpoint, ServerLink> links = new HashMap<>();
    private final Long2ObjectHashMap<SyncSource> byCorrelationId = new Long2ObjectHashMap<>();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SyncPagesEncoder pagesEncoder = new SyncPagesEncoder();
    private final RegionSyncedEncoder syncedEncoder = new RegionSyncedEncoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(
        new byte[MESSAGE_OVERHEAD + PAGES_PER_MESSAGE * FarAddress.PAGE_SIZE + ENTRIES_PER_MESSAGE * ENTRY_OVERHEAD]);
    private final UnsafeBuffer pages = new UnsafeBuffer(new byte[PAGES_PER_MESSAGE * FarAddress.PAGE_SIZE]);
    private final long[] addresses = new long[ENTRIES_PER_MESSAGE];
    private final boolean[] present = new boolean[ENTRIES_PER_MESSAGE];
    private final long[] takenPages = new long[PAGES_PER_MESSAGE];
    private long sentCorrelationId;

    /**
     * Copies sent through a node's client endpoint.
     *
     * @param state        the node.
     * @param client       its client endpoint (links to other nodes).
     * @param membership   its membership (the link to the coordinator).
     * @param replier      replies to the coordinator.
     * @param errorHandler receives what happened.
     * @param timeoutNs    how long a secondary may take to connect or answer.
     */
    public RegionSyncs(
        final NodeState state,
        final ClientEndpoint client,
        final NodeMembership membership,
        final Replier replier,
        final ErrorHandler errorHandler,
        final long timeoutNs)
    {
        this.state = state;
        this.client = client;
        this.membership = membership;
        this.replier = replier;
        this.errorHandler = errorHandler;
        this.timeoutNs = timeoutNs;
    }

    /**
     * Starts a copy; the vRegion's new assignment is recorded already.
     *
     * @param source the copy.
     */
    public void start(final SyncSource source)
    {
        source.space().syncSource(source);
        ServerLink link = links.get(source.target());
        if (link == null)
        {
            link = client.link(source.target());
            links.put(source.target(), link);
        }
        source.link(link);
        sources.add(source);
    }

    /**
     * Advances every copy.
     *
     * @param nowNs time.
     * @return work done.
     */
    public int doWork(final long nowNs)
    {
        if (sources.isEmpty())
        {
            return 0;
        }
        int work = 0;
        for (final ServerLink link : links.values())
        {
            work += link.doWork(nowNs);
        }
        for (int i = sources.size() - 1; i >= 0; i--)
        {
            work += step(sources.get(i), nowNs);
        }
        return work;
    }

    /**
     * A reply from a secondary, if it answers a message of a copy.
     *
     * @param buffer the reply.
     * @param offset where it starts.
     * @return true if it was one.
     */
    public boolean onReply(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        final long correlationId;
        String failure = null;
        ErrorCode code = null;
        if (templateId == AckDecoder.TEMPLATE_ID)
        {
            correlationId = ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder).correlationId();
        }
        else if (templateId == ErrorResponseDecoder.TEMPLATE_ID)
        {
            errorDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            correlationId = errorDecoder.correlationId();
            code = errorDecoder.code();
            final long address = errorDecoder.address();
            failure = "node=" + errorDecoder.nodeId() + " refused the copy (" + code + ", address=" +
                FarAddress.format(address) + "): " + errorDecoder.message();
        }
        else
        {
            return false;
        }
        final SyncSource source = byCorrelationId.remove(correlationId);
        if (source == null)
        {
            return false;
        }
        final long nowNs = System.nanoTime();
        source.acknowledged(nowNs);
        if (failure != null)
        {
            finish(source, code, failure, nowNs);
        }
        else if (source.inFlight() == 0 && source.phase() == SyncSource.Phase.LAST)
        {
            finish(source, null, null, nowNs);
        }
        return true;
    }

    private int step(final SyncSource source, final long nowNs)
    {
        if (!source.isCurrent(state))
        {
            finish(source, ErrorCode.STALE_EPOCH, "vRegion=" + source.vRegion() + " was reassigned, dropped or " +
                "released during the copy", nowNs);
            return 1;
        }
        final ServerLink link = source.link();
        if ((source.inFlight() > 0 || !link.isReady()) && nowNs - source.progressNs() > timeoutNs)
        {
            finish(source, ErrorCode.NOT_CONNECTED, "node=" + source.targetNodeId() + " at " + source.target() +
                " did not answer within " + timeoutNs / 1_000_000 + "ms", nowNs);
            return 1;
        }
        if (!link.isReady() || source.inFlight() >= WINDOW || !source.maySend(nowNs))
        {
            return 0;
        }
        return switch (source.phase())
        {
            case VMAS -> sendVmas(source, nowNs);
            case PAGES -> sendPages(source, nowNs);
            default -> 0;
        };
    }

    private int sendVmas(final SyncSource source, final long nowNs)
    {
        final List<long[]> vmas = source.space().vmasIn(
            FarAddress.vRegionBase(source.vRegion(), state.vRegionShift()), source.regionEnd());
        if (source.vmasSent() > 0 && source.vmasSent() >= vmas.size())
        {
            if (source.inFlight() == 0)
            {
                // the secondary maps every vma: agents may write back to it from now on
                replier.ack(source.coordinator(), source.correlationId());
                source.phase(SyncSource.Phase.PAGES);
                return 1;
            }
            return 0;
        }
        final int from = source.vmasSent();
        final int count = Math.min(vmas.size() - from, ENTRIES_PER_MESSAGE);
        final SyncPagesEncoder encoder = header(source, false);
        final SyncPagesEncoder.VmasEncoder group = encoder.vmasCount(count);
        for (int i = from; i < from + count; i++)
        {
            group.next().start(vmas.get(i)[0]).end(vmas.get(i)[1]);
        }
        encoder.pagesCount(0);
        // an empty vma list is sent too: it tells the secondary the copy began
        source.vmasSent(Math.max(1, from + count));
        return send(source, encoder, 0, nowNs);
    }

    private int sendPages(final SyncSource source, final long nowNs)
    {
        final int maxPages = Math.max(1, Math.min(PAGES_PER_MESSAGE,
            (source.link().maxMessageLength() - MESSAGE_OVERHEAD) / (FarAddress.PAGE_SIZE + ENTRY_OVERHEAD)));
        int entries = scan(source, maxPages);
        if (source.scanDone())
        {
            entries = recopy(source, entries, maxPages);
        }
        if (entries == 0)
        {
            if (!source.scanDone() || source.inFlight() > 0 || !source.recopy().isEmpty())
            {
                return source.scanDone() ? 0 : 1;
            }
            // nothing left and nothing unanswered: from now on older epochs are refused, so nothing more can be owed
            source.phase(SyncSource.Phase.LAST);
            final SyncPagesEncoder encoder = header(source, true);
            encoder.vmasCount(0);
            encoder.pagesCount(0);
            return send(source, encoder, 0, nowNs);
        }
        final SyncPagesEncoder encoder = header(source, false);
        encoder.vmasCount(0);
        final SyncPagesEncoder.PagesEncoder group = encoder.pagesCount(entries);
        int withData = 0;
        for (int i = 0; i < entries; i++)
        {
            group.next().address(addresses[i]);
            if (present[i])
            {
                group.putData(pages, withData++ * FarAddress.PAGE_SIZE, FarAddress.PAGE_SIZE);
            }
            else
            {
                group.putData(pages, 0, 0);
            }
        }
        return send(source, encoder, withData, nowNs);
    }

    /**
     * Fills entries from the scan of the vmas, in address order: pages stored here (pages never written read as
     * zeros on the secondary too).
     */
    private int scan(final SyncSource source, final int maxPages)
    {
        final ProcessSpace space = source.space();
        final PageStore store = state.store();
        int entries = 0;
        int lookups = 0;
        long cursor = source.cursor();
        while (entries < maxPages && lookups < LOOKUPS_PER_MESSAGE)
        {
            final long address = space.nextMapped(cursor);
            if (address >= source.regionEnd())
            {
                source.scanDone(true);
                break;
            }
            cursor = address + FarAddress.PAGE_SIZE;
            lookups++;
            if (store.read(space.pid(), FarAddress.pageNumber(address), pages, entries * FarAddress.PAGE_SIZE))
            {
                addresses[entries] = address;
                present[entries] = true;
                entries++;
            }
        }
        source.cursor(cursor);
        return entries;
    }

    /**
     * Fills entries with pages written or freed here at an older epoch since the copy began, as they are now.
     */
    private int recopy(final SyncSource source, final int entries, final int maxPages)
    {
        final ProcessSpace space = source.space();
        final LongHashSet recopy = source.recopy();
        int withData = 0;
        for (int i = 0; i < entries; i++)
        {
            withData += present[i] ? 1 : 0;
        }
        // taken out after the walk: removing through the iterator moves entries under it
        int taken = 0;
        for (final LongHashSet.LongIterator it = recopy.iterator();
            it.hasNext() && taken < maxPages - withData && entries + taken < ENTRIES_PER_MESSAGE;)
        {
            takenPages[taken++] = it.nextValue();
        }
        int count = entries;
        for (int i = 0; i < taken; i++)
        {
            final long pageNumber = takenPages[i];
            recopy.remove(pageNumber);
            final long address = pageNumber << FarAddress.PAGE_SHIFT;
            if (!space.isMapped(address, FarAddress.PAGE_SIZE))
            {
                // dropped here: the coordinator drops it on the secondary too
                continue;
            }
            present[count] = state.store().read(space.pid(), pageNumber, pages, withData * FarAddress.PAGE_SIZE);
            withData += present[count] ? 1 : 0;
            addresses[count++] = address;
        }
        return count;
    }

    private SyncPagesEncoder header(final SyncSource source, final boolean last)
    {
        sentCorrelationId = client.nextCorrelationId();
        return pagesEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(sentCorrelationId)
            .token(state.capabilities().coordinatorToken())
            .pid(source.space().pid())
            .vRegion(source.vRegion())
            .epoch(source.epoch())
            .last(last ? BooleanType.TRUE : BooleanType.FALSE);
    }

    private int send(final SyncSource source, final SyncPagesEncoder encoder, final int withData, final long nowNs)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        if (!source.link().send(buffer, 0, length))
        {
            // back pressure or a link that is reconnecting: the same entries are lost, so start the copy over
            finish(source, ErrorCode.NOT_CONNECTED, "cannot send to node=" + source.targetNodeId() + " at " +
                source.target(), nowNs);
            return 1;
        }
        byCorrelationId.put(sentCorrelationId, source);
        source.sent(length, withData, nowNs);
        return 1;
    }

    private void finish(final SyncSource source, final ErrorCode code, final String failure, final long nowNs)
    {
        // once the secondary had the vmas the coordinator was acknowledged: the end goes in a RegionSynced
        final boolean started = source.phase() != SyncSource.Phase.VMAS;
        sources.remove(source);
        byCorrelationId.values().removeIf(s -> s == source);
        source.space().endSyncSource(source);
        source.phase(SyncSource.Phase.DONE);
        releaseLink(source.target());
        final long elapsedNs = nowNs - source.startedNs();
        if (failure != null)
        {
            errorHandler.onError(new SplitheapException("copy of vRegion=" + source.vRegion() + " of pid=" +
                source.space().pid() + " to node=" + source.targetNodeId() + " failed after " + elapsedNs / 1_000_000 +
                "ms: " + failure, SplitheapException.Category.WARN, null));
        }
        if (failure != null && !started)
        {
            replier.error(source.coordinator(), source.correlationId(), code, 0, failure);
            return;
        }
        syncedEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(source.correlationId())
            .token(state.capabilities().coordinatorToken())
            .nodeId(state.nodeId())
            .pid(source.space().pid())
            .vRegion(source.vRegion())
            .epoch(source.epoch())
            .secondaryNodeId(source.targetNodeId())
            .succeeded(failure == null ? BooleanType.TRUE : BooleanType.FALSE)
            .pagesCopied(source.pagesCopied())
            .bytesSent(source.bytesSent())
            .elapsedNs(elapsedNs)
            .message(failure == null ? "" : failure);
        membership.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + syncedEncoder.encodedLength());
    }

    private void releaseLink(final Endpoint target)
    {
        for (final SyncSource other : sources)
        {
            if (other.target().equals(target))
            {
                return;
            }
        }
        final ServerLink link = links.remove(target);
        if (link != null)
        {
            link.close();
        }
    }
}
