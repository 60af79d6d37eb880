package io.splitheap.launcher;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.Settings;
import io.splitheap.protocol.exceptions.ConfigurationException;
import picocli.CommandLine;

/**
 * Command-line value converters that parse exactly as system properties and agent options do.
 */
public final class Converters
{
    private Converters()
    {
    }

    /**
     * Sizes such as 64m or 1g.
     */
    public static final class Size implements CommandLine.ITypeConverter<Long>
    {
        /**
         * {@inheritDoc}
         */
        public Long convert(final String value)
        {
            try
            {
                return Settings.parseSize("size", value);
            }
            catch (final ConfigurationException ex)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a size such as 4096, 64k, " +
                    "256m or 1g");
            }
        }
    }

    /**
     * HOST:PORT endpoints.
     */
    public static final class EndpointConverter implements CommandLine.ITypeConverter<Endpoint>
    {
        /**
         * {@inheritDoc}
         */
        public Endpoint convert(final String value)
        {
            try
            {
                return Endpoint.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not HOST:PORT");
            }
        }
    }
}
