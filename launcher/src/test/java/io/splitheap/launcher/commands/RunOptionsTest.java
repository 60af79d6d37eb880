package io.splitheap.launcher.commands;

import io.splitheap.launcher.cluster.NodeStatus;
import io.splitheap.protocol.codecs.NodeKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunOptionsTest
{
    /**
     * The {@code splitheap-cluster} line is a contract that scripts read: written with Jackson now, it must keep the
     * text it had when it was built by hand (memory nodes only, these keys in this order).
     */
    @Test
    void shouldWriteTheClusterLineAsBefore()
    {
        final List<NodeStatus> nodes = List.of(
            new NodeStatus(1, NodeKind.MEMORY, true, 1L << 30, 4096, 12, 40, true, 0, 2, 150, 900, "127.0.0.1:40001"),
            new NodeStatus(3, NodeKind.STORAGE, true, 0, 0, 0, 0, true, 0, 0, 100, 0, "127.0.0.1:40003"),
            new NodeStatus(2, NodeKind.MEMORY, false, 1L << 30, 0, 0, 7, false, 5, 0, 9000, 0, "127.0.0.1:40002"));
        assertEquals("splitheap-cluster {\"memory_nodes\":[" +
            "{\"id\":1,\"pages\":12,\"peak_pages\":40,\"alive\":true,\"auth_failures\":0,\"malformed_messages\":2," +
            "\"endpoint\":\"127.0.0.1:40001\"}," +
            "{\"id\":2,\"pages\":0,\"peak_pages\":7,\"alive\":false,\"auth_failures\":5,\"malformed_messages\":0," +
            "\"endpoint\":\"127.0.0.1:40002\"}]}", RunOptions.clusterLine(nodes));
        assertEquals("splitheap-cluster {\"memory_nodes\":[]}", RunOptions.clusterLine(List.of()));
    }
}
