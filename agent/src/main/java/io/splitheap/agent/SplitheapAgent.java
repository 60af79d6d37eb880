package io.splitheap.agent;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.backend.PageBackend;
import io.splitheap.agent.backend.RemoteBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.events.EvictionBurstEvent;
import io.splitheap.agent.events.SlowMissEvent;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.excache.RuntimeFlags;
import io.splitheap.agent.instrument.FarTransformer;
import io.splitheap.agent.instrument.JdkReflectionBoundary;
import io.splitheap.agent.instrument.FarClassSelection;
import io.splitheap.agent.instrument.ScopePolicy;
import io.splitheap.agent.metrics.AgentMetrics;
import io.splitheap.agent.metrics.CncCounters;
import io.splitheap.agent.metrics.ProgressReporter;
import io.splitheap.agent.runtime.FarBoundary;
import io.splitheap.agent.runtime.FarHiddenClasses;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.runtime.ErrorLog;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Starts Splitheap inside an application JVM: parses the options, gives the agent's own classes the JDK access its
 * transport needs (so users attach only {@code -javaagent:}), joins the cluster, creates the ExCache, installs the
 * class transformer and, at exit, prints statistics and leaves the cluster.
 */
public final class SplitheapAgent
{
    /**
     * Name of the agent's JMX bean ({@link io.splitheap.agent.metrics.SplitheapAgentMXBean}).
     */
    public static final String BEAN_NAME = "io.splitheap:type=Agent";

    private static volatile Running running;

    private SplitheapAgent()
    {
    }

    /**
     * Starts the agent (once per JVM).
     *
     * @param agentArgs       the options.
     * @param instrumentation the JVM's instrumentation.
     */
    public static synchronized void start(final String agentArgs, final Instrumentation instrumentation)
    {
        if (running != null)
        {
            return;
        }
        final AgentConfiguration configuration;
        try
        {
            configuration = AgentConfiguration.parse(agentArgs);
            final java.util.Set<String> unknown = io.splitheap.protocol.KnownProperties.unknownSystemProperties();
            if (!unknown.isEmpty())
            {
                throw new io.splitheap.protocol.exceptions.ConfigurationException("unknown property -D" +
                    String.join(", -D", unknown) + "; the settings are listed in docs/CONFIGURATION.md (agent " +
                    "options: " + String.join(", ", AgentConfiguration.knownOptions()) + ")");
            }
        }
        catch (final SplitheapException ex)
        {
            System.err.println("splitheap: " + ex.getMessage());
            throw ex;
        }
        openModules(instrumentation);
        System.setProperty(RuntimeFlags.STATS_PROP_NAME, Boolean.toString(configuration.stats()));
        System.setProperty(RuntimeFlags.THRESHOLD_PROP_NAME, Long.toString(configuration.thresholdBytes()));
        System.setProperty(SlowMissEvent.THRESHOLD_PROP_NAME, Long.toString(configuration.slowMissNs()));
        System.setProperty(RuntimeFlags.POLICY_PROP_NAME, configuration.policy());
        System.setProperty("chronicle.analytics.disable", "true");
        final ErrorLog errors = new ErrorLog("splitheap-agent", System.err);
        final PageBackend backend = connect(configuration, errors);
        final ExCache cache = new ExCache(configuration.excacheBytes(), configuration.lineSize(),
            configuration.policy(), configuration.prefetch(), configuration.writeBackLines(), backend,
            CommonConfiguration.requestTimeoutNs(configuration.values()) * 2);
        final long arena = Math.min(configuration.arenaBytes(), backend instanceof RemoteBackend ?
            1L << ((RemoteBackend)backend).vRegionShift() : configuration.arenaBytes());
        final FarMemory farMemory = new FarMemory(cache, backend, arena, configuration.localizeMaxBytes(), errors,
            false, configuration.farMaxBytes(), configuration.farGcInProportion());
        FarMemory.install(farMemory);
        final ScopePolicy scope = new ScopePolicy(configuration.include(), configuration.exclude(),
            configuration.guardOutside(), new FarClassSelection(configuration.farClasses(), configuration.verbose()));
        final ResettableClassFileTransformer transformer = FarTransformer.install(instrumentation, scope, errors);
        FarHiddenClasses.install(FarTransformer.hiddenClassRewriter(scope, errors));
        JdkReflectionBoundary.install(instrumentation, errors);
        final AgentMetrics metrics = new AgentMetrics(farMemory);
        final ObjectName bean = registerBean(metrics, errors);
        final ProgressReporter progress = configuration.progressSeconds() > 0 ?
            new ProgressReporter(metrics, configuration.progressSeconds(), System.err) : null;
        final CncCounters counters = backend instanceof RemoteBackend ?
            new CncCounters(((RemoteBackend)backend).aeron(), metrics, ((RemoteBackend)backend).pid()) : null;
        final EvictionBurstEvent.Hook evictionBursts = EvictionBurstEvent.install(metrics::getEvictions,
            metrics::getWriteBacks, cache.lineSize(), configuration.evictionBurstLines());
        running = new Running(configuration, farMemory, cache, backend, transformer, instrumentation, bean, progress,
            counters, evictionBursts);
        Runtime.getRuntime().addShutdownHook(new Thread(SplitheapAgent::stop, "splitheap-shutdown"));
    }

    /**
     * Prints statistics (if enabled), removes the transformer and leaves the cluster. Runs at JVM exit; tests call
     * it to remove the agent.
     */
    public static synchronized void stop()
    {
        final Running current = running;
        if (current == null)
        {
            return;
        }
        running = null;
        current.evictionBursts.close();
        if (current.progress != null)
        {
            current.progress.close();
        }
        if (current.counters != null)
        {
            current.counters.close();
        }
        unregisterBean(current.bean);
        current.instrumentation.removeTransformer(current.transformer);
        FarHiddenClasses.install(null);
        if (current.configuration.stats())
        {
            System.err.println(AgentStats.line(current.farMemory, current.backend));
            System.err.flush();
        }
        current.farMemory.close();
        current.backend.close();
        FarMemory.install(null);
    }

    private static PageBackend connect(final AgentConfiguration configuration, final ErrorLog errors)
    {
        if (configuration.isLocal())
        {
            return new LocalBackend(configuration.lineSize());
        }
        try
        {
            return RemoteBackend.connect(configuration, errors);
        }
        catch (final RuntimeException ex)
        {
            final String message = "cannot join the cluster at coordinator=" + configuration.coordinatorText() + ": " +
                ex.getMessage();
            System.err.println("splitheap: " + message);
            throw new SplitheapException(message, SplitheapException.Category.FATAL, ex);
        }
    }

    private static ObjectName registerBean(final AgentMetrics metrics, final ErrorLog errors)
    {
        try
        {
            final ObjectName name = new ObjectName(BEAN_NAME);
            final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name))
            {
                server.unregisterMBean(name);
            }
            server.registerMBean(metrics, name);
            return name;
        }
        catch (final JMException | RuntimeException ex)
        {
            // metrics are not worth failing the program for
            errors.onError(new SplitheapException("JMX bean " + BEAN_NAME + " not registered: " + ex,
                SplitheapException.Category.WARN, null));
            return null;
        }
    }

    private static void unregisterBean(final ObjectName name)
    {
        if (name != null)
        {
            try
            {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            }
            catch (final JMException | RuntimeException ignore)
            {
                // gone already
            }
        }
    }

    private static void openModules(final Instrumentation instrumentation)
    {
        final Module base = Object.class.getModule();
        final Module agent = SplitheapAgent.class.getModule();
        final Set<Module> to = Set.of(agent);
        instrumentation.redefineModule(base, Set.of(FarBoundary.class.getModule()),
            Map.of("jdk.internal.misc", to, "sun.nio.ch", to, "jdk.internal.ref", to, "jdk.internal.access", to),
            Map.of("java.nio", to, "java.lang", to, "sun.nio.ch", to),
            Set.of(), Map.of());
    }

    private record Running(
        AgentConfiguration configuration,
        FarMemory farMemory,
        ExCache cache,
        PageBackend backend,
        ResettableClassFileTransformer transformer,
        Instrumentation instrumentation,
        ObjectName bean,
        ProgressReporter progress,
        CncCounters counters,
        EvictionBurstEvent.Hook evictionBursts)
    {
    }
}
