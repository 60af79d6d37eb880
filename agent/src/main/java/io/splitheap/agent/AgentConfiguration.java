package io.splitheap.agent;

import io.splitheap.agent.excache.EvictionPolicy;
import io.splitheap.agent.excache.RuntimeFlags;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.Settings;
import io.splitheap.protocol.exceptions.ConfigurationException;
import io.splitheap.protocol.security.ClusterSecret;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's settings. Agent options ({@code -javaagent:splitheap-agent.jar=coordinator=HOST:PORT,excache=64m})
 * map onto {@code splitheap.*} names, which can also be given as system properties; an option wins over a property.
 * Short option names are aliases: {@code excache} is {@code splitheap.excache.size}; any other option {@code k} is
 * {@code splitheap.k}. Lists ({@code include}, {@code exclude}) separate items with {@code ;}.
 */
public final class AgentConfiguration
{
    /**
     * The coordinator, {@code HOST:PORT}, or {@code local} for in-process far memory (debugging only).
     */
    public static final String COORDINATOR = CommonConfiguration.COORDINATOR_PROP_NAME;
    /**
     * Size of the ExCache, the local cache of far memory (off-heap).
     */
    public static final String EXCACHE_SIZE = "splitheap.excache.size";
    /**
     * Eviction policy: fifo, lru, clock or sweep.
     */
    public static final String EXCACHE_POLICY = "splitheap.excache.policy";
    /**
     * Smallest primitive array, in bytes, allocated far.
     */
    public static final String THRESHOLD = RuntimeFlags.THRESHOLD_PROP_NAME;
    /**
     * Class or package prefixes to rewrite (default: everything but the JDK).
     */
    public static final String INCLUDE = "splitheap.include";
    /**
     * Class or package prefixes never rewritten.
     */
    public static final String EXCLUDE = "splitheap.exclude";
    /**
     * Application classes outside include=/exclude=: guard (made far-aware, never allocating far arrays) or plain
     * (left unchanged).
     */
    public static final String OUTSIDE = "splitheap.outside";
    /**
     * Print a statistics line at exit and count hits.
     */
    public static final String STATS = RuntimeFlags.STATS_PROP_NAME;
    /**
     * ExCache line size.
     */
    public static final String LINE_SIZE = "splitheap.line.size";
    /**
     * Most lines fetched ahead of a sequential miss.
     */
    public static final String PREFETCH = "splitheap.prefetch";
    /**
     * Local address that memory nodes reach this process's reply channel on.
     */
    public static final String BIND = "splitheap.bind";
    /**
     * Largest far array moved to the heap when uninstrumented code needs it.
     */
    public static final String LOCALIZE_MAX = "splitheap.boundary.localize.max";
    /**
     * Memory for dirty lines on their way back to memory nodes.
     */
    public static final String WRITEBACK_BUFFER = "splitheap.writeback.buffer";
    /**
     * Far address space reserved per arena for small arrays.
     */
    public static final String ARENA_SIZE = "splitheap.arena.size";

    /**
     * Most bytes of far arrays this process keeps alive (0: no limit but the cluster's capacity).
     */
    public static final String FAR_MAX = "splitheap.far.max";
    /**
     * Whether far memory requests GCs in proportion to far allocation ({@code auto}) or only when it is full
     * ({@code pressure}).
     */
    public static final String FAR_GC = "splitheap.far.gc";
    /**
     * Classes whose primitive instance fields live in far memory: class names, packages ({@code a.b.*}) and
     * patterns ({@code *} for any characters), separated by {@code ;}.
     */
    public static final String FAR_CLASSES = "splitheap.far.classes";
    /**
     * Whether the agent says what it decided where it may surprise (for now: which classes of {@code far.classes}
     * and which of their fields stay on the heap, and why).
     */
    public static final String VERBOSE = "splitheap.verbose";

    /**
     * The directory of a media driver to share (the host's, run by the cluster) instead of launching one: memory
     * nodes in that driver are then reached over shared memory. {@code bin/splitheap run} sets it for its embedded
     * cluster.
     */
    public static final String AERON_DIR = "splitheap.aeron.dir";

    /**
     * The file holding the cluster secret (required with a remote coordinator; {@code bin/splitheap run} sets it).
     */
    public static final String SECRET_FILE = CommonConfiguration.SECRET_FILE_PROP_NAME;

    /**
     * Seconds between {@code splitheap-progress} lines on stderr while the program runs; 0 for none.
     */
    public static final String PROGRESS = "splitheap.progress";

    /**
     * Misses whose fetch takes at least this long are recorded as JFR events {@code io.splitheap.SlowMiss}.
     */
    public static final String JFR_SLOW_MISS = "splitheap.jfr.slow.miss";

    /**
     * Evictions in one period (a second by default) from which a JFR event {@code io.splitheap.EvictionBurst} is
     * recorded.
     */
    public static final String JFR_EVICTION_BURST = "splitheap.jfr.eviction.burst";

    private static final Map<String, String> ALIASES = Map.of(
        "coordinator", COORDINATOR,
        "excache", EXCACHE_SIZE,
        "line", LINE_SIZE,
        "arena", ARENA_SIZE);

    private static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> values;

    private AgentConfiguration(final Map<String, String> values)
    {
        this.values = values;
    }

    /**
     * Parses agent options over system properties and defaults, and validates everything.
     *
     * @param agentArgs the text after {@code =} in {@code -javaagent:...=}, may be null.
     * @return the configuration.
     */
    public static AgentConfiguration parse(final String agentArgs)
    {
        final Map<String, String> explicit = new LinkedHashMap<>();
        if (agentArgs != null && !agentArgs.isBlank())
        {
            for (final String option : agentArgs.split(","))
            {
                final int equals = option.indexOf('=');
                if (equals <= 0)
                {
                    throw new ConfigurationException("agent option '" + option + "' is not key=value; options: " +
                        String.join(", ", knownOptions()));
                }
                explicit.put(propertyName(option.substring(0, equals).trim()), option.substring(equals + 1).trim());
            }
        }
        final Map<String, String> values = new TreeMap<>();
        for (final Map.Entry<String, String> entry : DEFAULTS.entrySet())
        {
            values.put(entry.getKey(), Settings.get(explicit, entry.getKey(), aliasEnvironment(entry.getKey(),
                entry.getValue())));
        }
        for (final String key : List.of(CommonConfiguration.TERM_LENGTH_PROP_NAME, CommonConfiguration.MTU_PROP_NAME,
            CommonConfiguration.REQUEST_TIMEOUT_PROP_NAME, CommonConfiguration.IDLE_MAX_PARK_PROP_NAME,
            CommonConfiguration.AERON_DIR_BASE_PROP_NAME, AERON_DIR))
        {
            if (explicit.containsKey(key))
            {
                values.put(key, explicit.get(key));
            }
        }
        final String aeronDir = Settings.property(AERON_DIR);
        if (!explicit.containsKey(AERON_DIR) && aeronDir != null)
        {
            values.put(AERON_DIR, aeronDir);
        }
        final AgentConfiguration configuration = new AgentConfiguration(values);
        configuration.validate();
        return configuration;
    }

    /**
     * The agent option names accepted.
     *
     * @return names.
     */
    public static List<String> knownOptions()
    {
        final List<String> names = new java.util.ArrayList<>(ALIASES.keySet());
        for (final String key : DEFAULTS.keySet())
        {
            final String shortName = key.substring("splitheap.".length());
            if (!ALIASES.containsValue(key))
            {
                names.add(shortName);
            }
        }
        names.addAll(Arrays.asList("aeron.term.length", "aeron.mtu", "request.timeout", "idle.max.park",
            "aeron.dir.base", "aeron.dir"));
        names.sort(String::compareTo);
        return names;
    }

    /**
     * The environment variable of an option's short name ({@code SPLITHEAP_EXCACHE} for {@code excache}), below the
     * property and its own variable ({@code SPLITHEAP_EXCACHE_SIZE}) in precedence.
     */
    private static String aliasEnvironment(final String key, final String defaultValue)
    {
        for (final Map.Entry<String, String> alias : ALIASES.entrySet())
        {
            if (alias.getValue().equals(key))
            {
                final String value = System.getenv(Settings.envName("splitheap." + alias.getKey()));
                return value != null ? value : defaultValue;
            }
        }
        return defaultValue;
    }

    private static String propertyName(final String option)
    {
        final String name = ALIASES.getOrDefault(option, option.startsWith("splitheap.") ? option : "splitheap." +
            option);
        if (!DEFAULTS.containsKey(name) && !name.startsWith("splitheap.aeron.") &&
            !name.equals(CommonConfiguration.REQUEST_TIMEOUT_PROP_NAME) &&
            !name.equals(CommonConfiguration.IDLE_MAX_PARK_PROP_NAME))
        {
            throw new ConfigurationException("unknown agent option '" + option + "'; options: " +
                String.join(", ", knownOptions()));
        }
        return name;
    }

    private static Map<String, String> defaults()
    {
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(COORDINATOR, "");
        defaults.put(EXCACHE_SIZE, "256m");
        defaults.put(EXCACHE_POLICY, "sweep");
        defaults.put(THRESHOLD, Long.toString(RuntimeFlags.THRESHOLD_DEFAULT));
        defaults.put(INCLUDE, "");
        defaults.put(EXCLUDE, "");
        defaults.put(OUTSIDE, "guard");
        defaults.put(STATS, "false");
        defaults.put(LINE_SIZE, "4k");
        defaults.put(PREFETCH, "32");
        defaults.put(BIND, "");
        defaults.put(LOCALIZE_MAX, "64m");
        defaults.put(WRITEBACK_BUFFER, "4m");
        defaults.put(ARENA_SIZE, "64m");
        defaults.put(FAR_MAX, "0");
        defaults.put(FAR_GC, "auto");
        defaults.put(FAR_CLASSES, "");
        defaults.put(VERBOSE, "false");
        defaults.put(SECRET_FILE, "");
        defaults.put(PROGRESS, "0");
        defaults.put(JFR_SLOW_MISS, "1ms");
        defaults.put(JFR_EVICTION_BURST, "256");
        return defaults;
    }

    private void validate()
    {
        final String coordinator = coordinatorText();
        if (coordinator.isEmpty())
        {
            throw new ConfigurationException("the agent needs coordinator=HOST:PORT (the address printed by " +
                "'bin/splitheap cluster' as splitheap-cluster-ready), or use 'bin/splitheap run' which starts a " +
                "cluster for you");
        }
        if (!"local".equals(coordinator))
        {
            final Endpoint endpoint = Settings.parseEndpoint(COORDINATOR, coordinator);
            try
            {
                java.net.InetAddress.getByName(endpoint.host());
            }
            catch (final java.net.UnknownHostException ex)
            {
                throw new ConfigurationException("unknown host '" + endpoint.host() + "' in coordinator=" +
                    coordinator + ": check the name, or give the coordinator's address");
            }
        }
        final int lineSize = lineSize();
        final long excache = excacheBytes();
        if (excache < 16L * lineSize)
        {
            throw new ConfigurationException(EXCACHE_SIZE, values.get(EXCACHE_SIZE),
                "at least 16 lines (" + 16L * lineSize + " bytes)");
        }
        EvictionPolicy.create(policy(), 1);
        guardOutside();
        thresholdBytes();
        Settings.parseInt(PREFETCH, values.get(PREFETCH), 0, 1024);
        Settings.parseBoolean(STATS, values.get(STATS));
        Settings.parseBoolean(VERBOSE, values.get(VERBOSE));
        progressSeconds();
        slowMissNs();
        evictionBurstLines();
        if (writeBackLines() < 4)
        {
            throw new ConfigurationException(WRITEBACK_BUFFER, values.get(WRITEBACK_BUFFER), "at least 4 lines");
        }
        localizeMaxBytes();
        farMaxBytes();
        farGcInProportion();
        if (arenaBytes() < lineSize || arenaBytes() % lineSize != 0)
        {
            throw new ConfigurationException(ARENA_SIZE, values.get(ARENA_SIZE), "a multiple of the line size");
        }
        CommonConfiguration.termLength(values);
        CommonConfiguration.mtu(values);
        CommonConfiguration.requestTimeoutNs(values);
        CommonConfiguration.idleYields(values);
        if (!"local".equals(coordinator))
        {
            if (values.get(SECRET_FILE).isEmpty())
            {
                throw new ConfigurationException("the agent needs secret.file=PATH, the cluster's secret file " +
                    "(printed by 'bin/splitheap cluster' as secret-file=PATH in its splitheap-cluster-ready line), " +
                    "or use 'bin/splitheap run' which passes it for you");
            }
            secret();
        }
    }

    /**
     * The coordinator option as given.
     *
     * @return host:port, "local" or empty.
     */
    public String coordinatorText()
    {
        return values.get(COORDINATOR);
    }

    /**
     * Whether far memory is kept in this JVM (debugging mode).
     *
     * @return true for coordinator=local.
     */
    public boolean isLocal()
    {
        return "local".equals(coordinatorText());
    }

    /**
     * The coordinator endpoint.
     *
     * @return host:port.
     */
    public Endpoint coordinator()
    {
        return Settings.parseEndpoint(COORDINATOR, coordinatorText());
    }

    /**
     * ExCache size.
     *
     * @return bytes.
     */
    public long excacheBytes()
    {
        return Settings.parseSize(EXCACHE_SIZE, values.get(EXCACHE_SIZE));
    }

    /**
     * Eviction policy name.
     *
     * @return fifo, lru, clock or sweep.
     */
    public String policy()
    {
        return values.get(EXCACHE_POLICY).toLowerCase();
    }

    /**
     * Threshold.
     *
     * @return bytes.
     */
    public long thresholdBytes()
    {
        return Settings.parseSize(THRESHOLD, values.get(THRESHOLD));
    }

    /**
     * Include prefixes.
     *
     * @return prefixes.
     */
    public List<String> include()
    {
        return list(INCLUDE);
    }

    /**
     * Exclude prefixes.
     *
     * @return prefixes.
     */
    public List<String> exclude()
    {
        return list(EXCLUDE);
    }

    /**
     * Whether application classes outside the rewritten scope are guarded.
     *
     * @return true for outside=guard, false for outside=plain.
     */
    public boolean guardOutside()
    {
        final String value = values.get(OUTSIDE).trim().toLowerCase();
        if (!"guard".equals(value) && !"plain".equals(value))
        {
            throw new ConfigurationException(OUTSIDE, values.get(OUTSIDE), "guard or plain");
        }
        return "guard".equals(value);
    }

    /**
     * Whether statistics are printed.
     *
     * @return true if on.
     */
    public boolean stats()
    {
        return Settings.parseBoolean(STATS, values.get(STATS));
    }

    /**
     * The slow-miss threshold of JFR events.
     *
     * @return nanoseconds.
     */
    public long slowMissNs()
    {
        return Settings.parseDurationNs(JFR_SLOW_MISS, values.get(JFR_SLOW_MISS));
    }

    /**
     * Evictions in one period that make a JFR eviction-burst event.
     *
     * @return lines, at least 1.
     */
    public int evictionBurstLines()
    {
        return Settings.parseInt(JFR_EVICTION_BURST, values.get(JFR_EVICTION_BURST), 1, Integer.MAX_VALUE);
    }

    /**
     * Seconds between progress lines.
     *
     * @return seconds, 0 for none.
     */
    public int progressSeconds()
    {
        return Settings.parseInt(PROGRESS, values.get(PROGRESS), 0, 86_400);
    }

    /**
     * The cluster secret, read from {@code secret.file}.
     *
     * @return the secret.
     */
    public ClusterSecret secret()
    {
        return ClusterSecret.load(java.nio.file.Path.of(values.get(SECRET_FILE)));
    }

    /**
     * The shared media driver's directory, or empty to launch an embedded driver.
     *
     * @return directory.
     */
    public String aeronDir()
    {
        return values.getOrDefault(AERON_DIR, "");
    }

    /**
     * Line size.
     *
     * @return bytes.
     */
    public int lineSize()
    {
        final long size = Settings.parseSize(LINE_SIZE, values.get(LINE_SIZE));
        Settings.log2PowerOfTwo(LINE_SIZE, size, FarAddress.PAGE_SIZE, 64 * 1024);
        return (int)size;
    }

    /**
     * Prefetch window.
     *
     * @return lines.
     */
    public int prefetch()
    {
        return Settings.parseInt(PREFETCH, values.get(PREFETCH), 0, 1024);
    }

    /**
     * Bind host, empty to derive it from the route to the coordinator.
     *
     * @return host or empty.
     */
    public String bind()
    {
        return values.get(BIND);
    }

    /**
     * Largest far array moved to the heap.
     *
     * @return bytes.
     */
    public long localizeMaxBytes()
    {
        return Settings.parseSize(LOCALIZE_MAX, values.get(LOCALIZE_MAX));
    }

    /**
     * Write-back buffer in lines.
     *
     * @return lines.
     */
    public int writeBackLines()
    {
        return (int)Math.min(1 << 20, Settings.parseSize(WRITEBACK_BUFFER, values.get(WRITEBACK_BUFFER)) /
            lineSize());
    }

    /**
     * Arena size.
     *
     * @return bytes.
     */
    public long arenaBytes()
    {
        return Settings.parseSize(ARENA_SIZE, values.get(ARENA_SIZE));
    }

    /**
     * Per-process budget of live far bytes.
     *
     * @return bytes, 0 for none.
     */
    public long farMaxBytes()
    {
        return Settings.parseSize(FAR_MAX, values.get(FAR_MAX));
    }

    /**
     * Classes whose fields live in far memory.
     *
     * @return the items of {@code far.classes=}.
     */
    public List<String> farClasses()
    {
        return list(FAR_CLASSES);
    }

    /**
     * Whether the agent logs its decisions about far classes.
     *
     * @return true for verbose=true.
     */
    public boolean verbose()
    {
        return Settings.parseBoolean(VERBOSE, values.get(VERBOSE));
    }

    /**
     * Whether GCs are requested in proportion to far allocation (else only when far memory is full).
     *
     * @return true for far.gc=auto.
     */
    public boolean farGcInProportion()
    {
        final String value = values.get(FAR_GC).trim().toLowerCase();
        if (!"auto".equals(value) && !"pressure".equals(value))
        {
            throw new ConfigurationException(FAR_GC, values.get(FAR_GC), "auto or pressure");
        }
        return "auto".equals(value);
    }

    /**
     * Settings for the transport (the {@code splitheap.aeron.*} and timing names).
     *
     * @return the values.
     */
    public Map<String, String> values()
    {
        return values;
    }

    private List<String> list(final String key)
    {
        final String value = values.get(key);
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(";"));
    }
}
