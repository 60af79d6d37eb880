package io.splitheap.protocol.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShmJanitorTest
{
    @Test
    void shouldRemoveDirectoriesOfDeadProcessesOnly(@TempDir final Path base) throws Exception
    {
        final long deadPid = deadPid();
        final Path dead = Files.createDirectories(base.resolve("splitheap-agent-" + deadPid + "-1"));
        Files.writeString(dead.resolve("cnc.dat"), "x");
        final Path alive = Files.createDirectories(base.resolve(ShmJanitor.directoryName("agent", 1)));
        final Path foreign = Files.createDirectories(base.resolve("aeron-someone-else"));
        assertEquals(1, ShmJanitor.sweep(base.toString()));
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(alive));
        assertTrue(Files.exists(foreign));
    }

    @Test
    void shouldNameDirectoriesAfterRoleAndPid()
    {
        final long pid = ProcessHandle.current().pid();
        assertEquals("splitheap-cluster-" + pid + "-3", ShmJanitor.directoryName("cluster", 3));
    }

    private static long deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
