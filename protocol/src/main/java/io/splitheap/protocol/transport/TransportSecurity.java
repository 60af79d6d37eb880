package io.splitheap.protocol.transport;

import io.splitheap.protocol.security.ClusterSecret;
import io.splitheap.protocol.security.HandshakeKeys;

/**
 * How a component's links are authenticated: the cluster secret, and whether links over shared memory also tag
 * every message (links over UDP always do). Shared memory never leaves the host and only processes that can write to
 * the media driver's directory (its owner) can inject into it, so by default it is authenticated at the handshake
 * only; {@code splitheap.auth.ipc.tags=true} tags it too.
 */
public final class TransportSecurity
{
    /**
     * Property: tag every message on shared-memory links too.
     */
    public static final String IPC_TAGS_PROP_NAME = "splitheap.auth.ipc.tags";

    private final ClusterSecret secret;
    private final HandshakeKeys handshakeKeys;
    private final boolean tagIpc;

    /**
     * Security under a secret.
     *
     * @param secret the cluster secret.
     * @param tagIpc whether shared-memory links tag every message.
     */
    public TransportSecurity(final ClusterSecret secret, final boolean tagIpc)
    {
        this.secret = secret;
        this.handshakeKeys = new HandshakeKeys(secret);
        this.tagIpc = tagIpc;
    }

    /**
     * Security under a secret, with {@link #IPC_TAGS_PROP_NAME} from system properties.
     *
     * @param secret the cluster secret.
     * @return the settings.
     */
    public static TransportSecurity of(final ClusterSecret secret)
    {
        return new TransportSecurity(
            secret, Boolean.parseBoolean(io.splitheap.protocol.Settings.property(IPC_TAGS_PROP_NAME)));
    }

    /**
     * The cluster secret.
     *
     * @return the secret.
     */
    public ClusterSecret secret()
    {
        return secret;
    }

    /**
     * The handshake keys.
     *
     * @return keys.
     */
    public HandshakeKeys handshakeKeys()
    {
        return handshakeKeys;
    }

    /**
     * Whether a link's messages carry tags.
     *
     * @param ipc whether the link is over shared memory.
     * @return true when tagged.
     */
    public boolean tagsMessages(final boolean ipc)
    {
        return !ipc || tagIpc;
    }
}
