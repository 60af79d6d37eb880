package io.splitheap.protocol.runtime;

import io.aeron.Aeron;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.Settings;
import io.splitheap.protocol.exceptions.ConfigurationException;
import io.splitheap.protocol.security.ClusterSecret;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.TransportSecurity;
import org.agrona.ErrorHandler;

import java.util.Map;

/**
 * Settings every component shares (transport, timing, threading), with defaults from system properties. Each
 * component's {@code Context} extends it; fluent accessors without get/set prefixes.
 *
 * @param <T> the concrete context, returned by the fluent setters.
 */
public abstract class ComponentContext<T extends ComponentContext<T>>
{
    private final String componentName;
    private Aeron aeron;
    private String aeronDirBase;
    private Endpoint bind;
    private Endpoint coordinator;
    private int mtu;
    private int termLength;
    private long idleMaxParkNs;
    private long requestTimeoutNs;
    private ErrorHandler errorHandler;
    private boolean useInvoker;
    private ClusterSecret secret;
    private java.nio.file.Path secretFile;

    /**
     * Defaults from system properties.
     *
     * @param componentName  name used in error logs.
     * @param bindProperty   the component's endpoint property.
     * @param bindDefault    its default.
     */
    protected ComponentContext(final String componentName, final String bindProperty, final String bindDefault)
    {
        final Map<String, String> none = Map.of();
        this.componentName = componentName;
        this.bind = Settings.parseEndpoint(bindProperty, Settings.get(Map.of(), bindProperty, bindDefault));
        final String coordinatorText = Settings.property(CommonConfiguration.COORDINATOR_PROP_NAME);
        this.coordinator = coordinatorText == null ? null :
            Settings.parseEndpoint(CommonConfiguration.COORDINATOR_PROP_NAME, coordinatorText);
        this.aeronDirBase = CommonConfiguration.aeronDirBase(none);
        this.mtu = CommonConfiguration.mtu(none);
        this.termLength = CommonConfiguration.termLength(none);
        this.idleMaxParkNs = CommonConfiguration.idleMaxParkNs(none);
        CommonConfiguration.idleYields(none);
        this.requestTimeoutNs = CommonConfiguration.requestTimeoutNs(none);
        final String secretFileText = Settings.property(CommonConfiguration.SECRET_FILE_PROP_NAME);
        this.secretFile = secretFileText == null ? null : java.nio.file.Path.of(secretFileText);
    }

    /**
     * Checks the shared settings and fills in the error handler.
     *
     * @param needsCoordinator whether the component must be told the coordinator's endpoint.
     */
    protected void concludeCommon(final boolean needsCoordinator)
    {
        final java.util.Set<String> unknown = io.splitheap.protocol.KnownProperties.unknownSystemProperties();
        if (!unknown.isEmpty())
        {
            throw new ConfigurationException("unknown property -D" + String.join(", -D", unknown) +
                "; the settings are listed in docs/CONFIGURATION.md");
        }
        if (needsCoordinator && coordinator == null)
        {
            throw new ConfigurationException(CommonConfiguration.COORDINATOR_PROP_NAME + " is required: the " +
                "coordinator's HOST:PORT");
        }
        if (errorHandler == null)
        {
            errorHandler = new ErrorLog(componentName, System.err);
        }
        if (secret == null)
        {
            if (secretFile == null)
            {
                throw new ConfigurationException("a cluster secret is required: --secret-file PATH (property " +
                    CommonConfiguration.SECRET_FILE_PROP_NAME + "); create one with 'bin/splitheap secret --out " +
                    "PATH' and give the same file to every member");
            }
            secret = ClusterSecret.load(secretFile);
        }
    }

    /**
     * Launches an embedded media driver unless an Aeron client was given.
     *
     * @param role role name for the Aeron directory.
     * @return the resources to close, or null when an Aeron client was given.
     */
    public AeronResources launchAeronIfNeeded(final String role)
    {
        return aeron != null ? null :
            AeronResources.launchEmbedded(role, aeronDirBase, termLength, idleMaxParkNs, errorHandler);
    }

    @SuppressWarnings("unchecked")
    private T self()
    {
        return (T)this;
    }

    /**
     * Use an existing Aeron client (an embedded cluster shares one) instead of launching a driver.
     *
     * @param aeron the client.
     * @return this.
     */
    public T aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return self();
    }

    /**
     * The Aeron client given, or null.
     *
     * @return client.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * Folder for the Aeron directory when launching an own driver.
     *
     * @param aeronDirBase folder.
     * @return this.
     */
    public T aeronDirBase(final String aeronDirBase)
    {
        this.aeronDirBase = aeronDirBase;
        return self();
    }

    /**
     * Endpoint to receive requests on.
     *
     * @param bind host:port, port 0 for any.
     * @return this.
     */
    public T bind(final Endpoint bind)
    {
        this.bind = bind;
        return self();
    }

    /**
     * Endpoint to receive requests on.
     *
     * @return host:port.
     */
    public Endpoint bind()
    {
        return bind;
    }

    /**
     * The coordinator to register with.
     *
     * @param coordinator host:port.
     * @return this.
     */
    public T coordinator(final Endpoint coordinator)
    {
        this.coordinator = coordinator;
        return self();
    }

    /**
     * The coordinator.
     *
     * @return host:port or null.
     */
    public Endpoint coordinator()
    {
        return coordinator;
    }

    /**
     * Publication MTU.
     *
     * @return bytes.
     */
    public int mtu()
    {
        return mtu;
    }

    /**
     * Publication term length.
     *
     * @return bytes.
     */
    public int termLength()
    {
        return termLength;
    }

    /**
     * Longest idle park.
     *
     * @return nanoseconds.
     */
    public long idleMaxParkNs()
    {
        return idleMaxParkNs;
    }

    /**
     * Request timeout (also bounds start-up waits).
     *
     * @param requestTimeoutNs nanoseconds.
     * @return this.
     */
    public T requestTimeoutNs(final long requestTimeoutNs)
    {
        this.requestTimeoutNs = requestTimeoutNs;
        return self();
    }

    /**
     * Request timeout.
     *
     * @return nanoseconds.
     */
    public long requestTimeoutNs()
    {
        return requestTimeoutNs;
    }

    /**
     * Receives errors and warnings.
     *
     * @param errorHandler handler.
     * @return this.
     */
    public T errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return self();
    }

    /**
     * The error handler.
     *
     * @return handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * Step the component from the caller ({@code invoke()}) instead of its own thread.
     *
     * @param useInvoker true for invoker mode.
     * @return this.
     */
    /**
     * The cluster secret (takes precedence over {@link #secretFile(java.nio.file.Path)}).
     *
     * @param secret the secret.
     * @return this.
     */
    public T secret(final ClusterSecret secret)
    {
        this.secret = secret;
        return self();
    }

    /**
     * The file holding the cluster secret, read at launch.
     *
     * @param secretFile the file.
     * @return this.
     */
    public T secretFile(final java.nio.file.Path secretFile)
    {
        this.secretFile = secretFile;
        return self();
    }

    /**
     * The cluster secret, once concluded.
     *
     * @return the secret.
     */
    public ClusterSecret secret()
    {
        return secret;
    }

    /**
     * How the component's links are authenticated, once concluded.
     *
     * @return the settings.
     */
    public TransportSecurity security()
    {
        return TransportSecurity.of(secret);
    }

    public T useInvoker(final boolean useInvoker)
    {
        this.useInvoker = useInvoker;
        return self();
    }

    /**
     * Whether the caller steps the component.
     *
     * @return true in invoker mode.
     */
    public boolean useInvoker()
    {
        return useInvoker;
    }
}
