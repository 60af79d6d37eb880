package io.splitheap.protocol;

/**
 * A {@code host:port} UDP endpoint. Port 0 asks the OS for a free port; see the transport's resolved endpoint.
 *
 * @param host host name or address.
 * @param port UDP port, 0 for any free port.
 */
public record Endpoint(String host, int port)
{
    /**
     * Validates the parts.
     *
     * @param host host name or address.
     * @param port port.
     */
    public Endpoint
    {
        if (host == null || host.isBlank() || port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("bad endpoint " + host + ":" + port);
        }
    }

    /**
     * Parses {@code host:port}.
     *
     * @param text the text.
     * @return the endpoint.
     * @throws IllegalArgumentException when it is not host:port.
     */
    public static Endpoint parse(final String text)
    {
        if (text == null)
        {
            throw new IllegalArgumentException("null endpoint");
        }
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("expected HOST:PORT but was " + text);
        }
        try
        {
            return new Endpoint(text.substring(0, colon).trim(), Integer.parseInt(text.substring(colon + 1).trim()));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("expected HOST:PORT but was " + text, ex);
        }
    }

    /**
     * The text form.
     *
     * @return host:port.
     */
    public String toString()
    {
        return host + ":" + port;
    }
}
