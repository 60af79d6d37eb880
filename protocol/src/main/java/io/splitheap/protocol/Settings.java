package io.splitheap.protocol;

import io.splitheap.protocol.exceptions.ConfigurationException;
import org.agrona.SystemUtil;

import java.util.Map;

/**
 * Parses setting values the same way everywhere: system properties, agent options and command-line options all
 * map onto the {@code splitheap.*} names. Sizes accept {@code 123}, {@code 64k}, {@code 256m}, {@code 1g};
 * durations accept {@code 500us}, {@code 100ms}, {@code 5s}. A bad value is a {@link ConfigurationException}
 * naming {@code key=value} and what is allowed.
 */
public final class Settings
{
    private Settings()
    {
    }

    /**
     * A setting from the overrides if present, else the system property, else the environment variable, else the
     * default.
     *
     * @param overrides    values given explicitly (agent options), may be empty.
     * @param key          the {@code splitheap.*} name.
     * @param defaultValue used when nothing is set.
     * @return the raw value.
     */
    public static String get(final Map<String, String> overrides, final String key, final String defaultValue)
    {
        final String value = overrides.get(key);
        if (null != value)
        {
            return value;
        }
        final String property = property(key);
        return property != null ? property : defaultValue;
    }

    /**
     * A setting from the system property {@code key}, else from the environment variable {@link #envName(String)}.
     *
     * @param key the {@code splitheap.*} name.
     * @return the raw value or null.
     */
    public static String property(final String key)
    {
        final String property = System.getProperty(key);
        return property != null ? property : System.getenv(envName(key));
    }

    /**
     * The environment variable of a setting: {@code splitheap.excache.size} is {@code SPLITHEAP_EXCACHE_SIZE}.
     *
     * @param key the {@code splitheap.*} name.
     * @return the variable's name.
     */
    public static String envName(final String key)
    {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Parses a size.
     *
     * @param key   setting name for the error.
     * @param value text such as {@code 64m}.
     * @return bytes.
     */
    public static long parseSize(final String key, final String value)
    {
        try
        {
            final long size = SystemUtil.parseSize(key, value.trim());
            if (size < 0)
            {
                throw new NumberFormatException("negative");
            }
            return size;
        }
        catch (final RuntimeException ex)
        {
            throw new ConfigurationException(key, value, "a size such as 4096, 64k, 256m or 1g");
        }
    }

    /**
     * Parses a duration.
     *
     * @param key   setting name for the error.
     * @param value text such as {@code 100ms}.
     * @return nanoseconds.
     */
    public static long parseDurationNs(final String key, final String value)
    {
        try
        {
            final long ns = SystemUtil.parseDuration(key, value.trim());
            if (ns < 0)
            {
                throw new NumberFormatException("negative");
            }
            return ns;
        }
        catch (final RuntimeException ex)
        {
            throw new ConfigurationException(key, value, "a duration such as 500us, 100ms or 5s");
        }
    }

    /**
     * Parses an int within bounds.
     *
     * @param key   setting name.
     * @param value text.
     * @param min   smallest allowed.
     * @param max   largest allowed.
     * @return the value.
     */
    public static int parseInt(final String key, final String value, final int min, final int max)
    {
        final int parsed;
        try
        {
            parsed = Integer.parseInt(value.trim());
        }
        catch (final RuntimeException ex)
        {
            throw new ConfigurationException(key, value, "an integer from " + min + " to " + max);
        }
        if (parsed < min || parsed > max)
        {
            throw new ConfigurationException(key, value, "an integer from " + min + " to " + max);
        }
        return parsed;
    }

    /**
     * Parses a boolean: true/false/yes/no/on/off.
     *
     * @param key   setting name.
     * @param value text.
     * @return the value.
     */
    public static boolean parseBoolean(final String key, final String value)
    {
        switch (value.trim().toLowerCase())
        {
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                throw new ConfigurationException(key, value, "true or false");
        }
    }

    /**
     * Checks that a size is a power of two within bounds and returns its log2.
     *
     * @param key  setting name.
     * @param size the size in bytes.
     * @param min  smallest allowed size.
     * @param max  largest allowed size.
     * @return log2 of the size.
     */
    public static int log2PowerOfTwo(final String key, final long size, final long min, final long max)
    {
        if (size < min || size > max || Long.bitCount(size) != 1)
        {
            throw new ConfigurationException(key, size, "a power of two from " + min + " to " + max + " bytes");
        }
        return Long.numberOfTrailingZeros(size);
    }

    /**
     * Parses {@code host:port}.
     *
     * @param key   setting name.
     * @param value text.
     * @return the endpoint.
     */
    public static Endpoint parseEndpoint(final String key, final String value)
    {
        try
        {
            return Endpoint.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException(key, value, "HOST:PORT, for example 127.0.0.1:40100");
        }
    }
}
