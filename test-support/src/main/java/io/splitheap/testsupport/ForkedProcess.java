package io.splitheap.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process a test starts: output to files under a log folder (kept for inspection), a bounded wait, and stopped by
 * its process id (with its descendants) if it outlives the wait.
 */
public final class ForkedProcess implements AutoCloseable
{
    private final Process process;
    private final File stdout;
    private final File stderr;
    private final List<String> command;

    private ForkedProcess(final Process process, final File stdout, final File stderr, final List<String> command)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.command = command;
    }

    /**
     * Starts a process.
     *
     * @param logDir  folder for its output (created).
     * @param name    file name prefix.
     * @param command the command line.
     * @param env     extra environment.
     * @return the running process.
     * @throws IOException if it cannot start.
     */
    public static ForkedProcess start(
        final File logDir, final String name, final List<String> command, final Map<String, String> env)
        throws IOException
    {
        Files.createDirectories(logDir.toPath());
        final File out = new File(logDir, name + ".out");
        final File err = new File(logDir, name + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
        builder.environment().putAll(env);
        return new ForkedProcess(builder.start(), out, err, new ArrayList<>(command));
    }

    /**
     * Waits for the process to end.
     *
     * @param timeout how long at most.
     * @param unit    unit.
     * @return its exit code.
     * @throws InterruptedException if interrupted.
     */
    public int waitFor(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (!process.waitFor(timeout, unit))
        {
            close();
            throw new AssertionError("process did not end within " + timeout + " " + unit + ": " + command +
                "; its output is in " + stdout + " and " + stderr);
        }
        return process.exitValue();
    }

    /**
     * Its process id.
     *
     * @return pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Whether it runs.
     *
     * @return true if alive.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Standard output so far.
     *
     * @return text.
     * @throws IOException if unreadable.
     */
    public String stdout() throws IOException
    {
        return Files.readString(stdout.toPath(), StandardCharsets.UTF_8);
    }

    /**
     * Standard error so far.
     *
     * @return text.
     * @throws IOException if unreadable.
     */
    public String stderr() throws IOException
    {
        return Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
    }

    /**
     * Where its output is, for failure messages.
     *
     * @return description.
     */
    public String logs()
    {
        return stdout + " and " + stderr;
    }

    /**
     * Stops it (SIGTERM, then SIGKILL after 10 s), descendants first.
     */
    public void close()
    {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
