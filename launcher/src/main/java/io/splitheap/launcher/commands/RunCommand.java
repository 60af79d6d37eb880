package io.splitheap.launcher.commands;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code splitheap run}: runs a Java command line with the agent attached, on an embedded cluster started for it
 * unless {@code --coordinator} names a running one.
 */
@CommandLine.Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs 'java JAVA_ARGS...' with the Splitheap agent attached (stats=true).",
        "Without --coordinator it starts an embedded cluster and stops it afterwards, printing",
        "splitheap-cluster {\"memory_nodes\":[...]} to stderr first. Exits with the program's exit code."})
public final class RunCommand implements Callable<Integer>
{
    static final long DEFAULT_EXCACHE = 256L << 20;

    @CommandLine.Mixin
    RunOptions run;

    @CommandLine.Parameters(arity = "1..*", paramLabel = "JAVA_ARGS",
        description = "The java command line after '--', for example: -- -Xmx256m -jar app.jar")
    List<String> javaArgs = new ArrayList<>();

    /**
     * {@inheritDoc}
     */
    public Integer call() throws Exception
    {
        return run.execute(javaArgs, DEFAULT_EXCACHE).exit();
    }
}
