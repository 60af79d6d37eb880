package io.splitheap.protocol.transport;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

import java.io.File;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded media driver (shared threading mode, backoff idling, sparse term files) and an Aeron client in one
 * JVM, with a directory of its own that is deleted on start, on close and, if the JVM was killed, by the next
 * Splitheap JVM's {@link ShmJanitor} sweep.
 */
public final class AeronResources implements AutoCloseable
{
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final MediaDriver driver;
    private final Aeron aeron;
    private final String directory;

    private AeronResources(final MediaDriver driver, final Aeron aeron, final String directory)
    {
        this.driver = driver;
        this.aeron = aeron;
        this.directory = directory;
    }

    /**
     * Launches an embedded driver and connects a client to it.
     *
     * @param role         short role name used in the directory name.
     * @param baseDir      folder for the directory (usually /dev/shm).
     * @param termLength   default term length for publications.
     * @param maxParkNs    longest idle park of the driver thread.
     * @param errorHandler receives driver and client errors.
     * @return the resources; close them to stop the driver and delete the directory.
     */
    public static AeronResources launchEmbedded(
        final String role,
        final String baseDir,
        final int termLength,
        final long maxParkNs,
        final ErrorHandler errorHandler)
    {
        ShmJanitor.sweep(baseDir);
        final String directory = new File(baseDir, ShmJanitor.directoryName(role, SERIAL.incrementAndGet())).getPath();
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(directory)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.backoff(maxParkNs))
            .sharedThreadFactory(new DaemonThreadFactory("splitheap-aeron-driver-" + role))
            .asyncExecutorThreadFactory(new DaemonThreadFactory("splitheap-aeron-executor-" + role))
            .termBufferSparseFile(true)
            .publicationTermBufferLength(termLength)
            .ipcTermBufferLength(termLength)
            .warnIfDirectoryExists(false)
            .receiveChannelEndpointSupplier(BoundedReceiveChannelEndpoint::new)
            .errorHandler(errorHandler);
        MediaDriver driver = null;
        try
        {
            driver = MediaDriver.launch(driverContext);
            restrictToOwner(directory);
            final Aeron aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(directory)
                .threadFactory(new DaemonThreadFactory("splitheap-aeron-client-" + role))
                .idleStrategy(IdleStrategies.backoff(maxParkNs))
                .errorHandler(errorHandler));
            return new AeronResources(driver, aeron, directory);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            ShmJanitor.deleteRecursively(new File(directory).toPath());
            throw ex;
        }
    }

    /**
     * Connects to a media driver another process runs (the host's shared driver), so that components in that driver
     * are reached over shared memory. Closing disconnects; the driver and its directory stay.
     *
     * @param role         name for threads.
     * @param directory    the driver's directory.
     * @param maxParkNs    longest park of the client conductor's idle strategy.
     * @param errorHandler receives asynchronous errors.
     * @return the client.
     */
    public static AeronResources connect(
        final String role, final String directory, final long maxParkNs, final ErrorHandler errorHandler)
    {
        if (!new File(directory, "cnc.dat").isFile())
        {
            throw new io.splitheap.protocol.exceptions.ConfigurationException("aeron.dir", directory,
                "the directory of a running media driver (it has no cnc.dat)");
        }
        final Aeron aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(directory)
            .threadFactory(new DaemonThreadFactory("splitheap-aeron-client-" + role))
            .idleStrategy(IdleStrategies.backoff(maxParkNs))
            .errorHandler(errorHandler));
        return new AeronResources(null, aeron, directory);
    }

    /**
     * The Aeron client.
     *
     * @return the client.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * The Aeron directory.
     *
     * @return its path.
     */
    public String directory()
    {
        return directory;
    }

    /**
     * Closes the client, then the driver, then deletes the directory.
     */
    public void close()
    {
        if (driver == null)
        {
            CloseHelper.close(aeron);
            return;
        }
        CloseHelper.closeAll(aeron, driver);
        ShmJanitor.deleteRecursively(new File(directory).toPath());
    }

    /**
     * Whether this process runs the driver (else it shares another process's).
     *
     * @return true when embedded.
     */
    public boolean ownsDriver()
    {
        return driver != null;
    }

    private static void restrictToOwner(final String directory)
    {
        // the driver's files hold every stream's data: other local users must not read them
        try
        {
            final java.nio.file.Path path = java.nio.file.Path.of(directory);
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix"))
            {
                java.nio.file.Files.setPosixFilePermissions(
                    path, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException("cannot restrict " + directory + " to its owner: " + ex, ex);
        }
    }
}
