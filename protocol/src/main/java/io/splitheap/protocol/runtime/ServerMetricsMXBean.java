package io.splitheap.protocol.runtime;

/**
 * A component's JMX view, registered as {@code io.splitheap:type=<Coordinator|MemoryNode|StorageNode>,endpoint=..}
 * while it runs. Counters are totals since start.
 */
public interface ServerMetricsMXBean
{
    /**
     * Where the component receives requests.
     *
     * @return host:port.
     */
    String getEndpoint();

    /**
     * Clients connected now.
     *
     * @return count.
     */
    int getSessions();

    /**
     * Refused handshakes, forged or replayed messages and requests with a wrong secret.
     *
     * @return count.
     */
    long getAuthFailures();

    /**
     * Messages that failed validation.
     *
     * @return count.
     */
    long getMalformedMessages();

    /**
     * Messages dropped (no session, not of this protocol, over the reassembly bound).
     *
     * @return count.
     */
    long getDroppedMessages();

    /**
     * Pages stored (memory nodes; 0 elsewhere).
     *
     * @return count.
     */
    long getUsedPages();
}
