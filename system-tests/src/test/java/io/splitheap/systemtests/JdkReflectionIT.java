package io.splitheap.systemtests;

import io.splitheap.systemtests.programs.JdkReflectionProgram;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far arrays that the JDK reads by itself, calling getters reflectively (JMX attributes serialized for a client over
 * RMI, java.beans' XMLEncoder), read as they do without the agent: the agent rewrites the JDK's reflective call path
 * so that a far array a getter returns reaches the JDK moved to the heap. (Without that, the client and the decoder
 * got empty arrays.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JdkReflectionIT
{
    private static final String N = "20000";

    @Test
    void shouldShowFarArraysToJmxAndJavaBeans() throws Exception
    {
        final String expected = run("jdk-reflection-heap", null).stdout();
        assertTrue(expected.contains("jmx remote long[] hash=") && expected.contains("length=" + N), expected);

        final ForkedProcess agent = run("jdk-reflection-agent", "coordinator=local,threshold=0,stats=true," +
            "include=" + JdkReflectionProgram.class.getPackageName());
        assertEquals(expected, agent.stdout(), "what the JDK and the program saw, with every array far");
        assertTrue(field(agent.stderr(), "far_arrays") >= 3, "the three arrays were far: " + agent.stderr());
        assertTrue(field(agent.stderr(), "localizations") >= 3, "the JDK got them moved to the heap");
        assertFalse(agent.stderr().contains("ERROR"), agent.stderr());
    }

    private static ForkedProcess run(final String name, final String agentOptions) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProjectPaths.java());
        command.add("-Xmx256m");
        if (agentOptions != null)
        {
            command.add("-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=" + agentOptions);
        }
        command.add("-cp");
        command.add(new File("target/test-classes").getAbsolutePath());
        command.add(JdkReflectionProgram.class.getName());
        command.add(N);
        final ForkedProcess process = ForkedProcess.start(FarRuns.LOGS, name, command, Map.of());
        assertEquals(0, process.waitFor(3, TimeUnit.MINUTES), name + " failed: " + process.stderr());
        return process;
    }

    private static long field(final String stderr, final String field)
    {
        final Matcher matcher = Pattern.compile("\"" + field + "\":(\\d+)").matcher(stderr);
        assertTrue(matcher.find(), "no " + field + " in " + stderr);
        return Long.parseLong(matcher.group(1));
    }
}
