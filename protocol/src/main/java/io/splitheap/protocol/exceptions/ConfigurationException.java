package io.splitheap.protocol.exceptions;

/**
 * A setting has a value that is not allowed. The message names {@code key=value} and what is allowed.
 */
public final class ConfigurationException extends SplitheapException
{
    private static final long serialVersionUID = 1L;

    /**
     * A configuration error.
     *
     * @param key     the setting's name.
     * @param value   the rejected value.
     * @param allowed what would have been accepted.
     */
    public ConfigurationException(final String key, final Object value, final String allowed)
    {
        super("invalid configuration " + key + "=" + value + ": " + allowed, Category.FATAL, null);
    }

    /**
     * A configuration error with a free-form message.
     *
     * @param message the message, naming the key and value.
     */
    public ConfigurationException(final String message)
    {
        super(message, Category.FATAL, null);
    }
}
