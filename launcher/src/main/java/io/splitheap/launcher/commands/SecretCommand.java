package io.splitheap.launcher.commands;

import io.splitheap.protocol.security.ClusterSecret;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code splitheap secret}: writes a new cluster secret for a deployment of separate processes.
 */
@CommandLine.Command(name = "secret", mixinStandardHelpOptions = true,
    description = {"Writes a new cluster secret to a file only you can read (mode 600).",
        "Give the same file to every member: --secret-file PATH for coordinator, memory-node, storage-node, cluster",
        "and run, secret.file=PATH for the agent. It prints: splitheap-secret file=PATH key-id=HEX"})
public final class SecretCommand implements Callable<Integer>
{
    @CommandLine.Option(names = "--out", required = true, paramLabel = "PATH",
        description = "The file to create; an existing file is not overwritten.")
    Path out;

    /**
     * {@inheritDoc}
     */
    public Integer call()
    {
        final ClusterSecret secret = ClusterSecret.generate();
        secret.write(out);
        System.out.println("splitheap-secret file=" + out + " key-id=" + secret.keyIdText());
        return 0;
    }
}
