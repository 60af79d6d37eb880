package io.splitheap.protocol.security;

/**
 * The keys of one authenticated link, one per direction, and whether its messages carry tags.
 */
public final class SessionKeys
{
    private final byte[] clientToServer;
    private final byte[] serverToClient;
    private final boolean messageAuth;

    SessionKeys(final byte[] clientToServer, final byte[] serverToClient, final boolean messageAuth)
    {
        this.clientToServer = clientToServer;
        this.serverToClient = serverToClient;
        this.messageAuth = messageAuth;
    }

    static SessionKeys derive(
        final byte[] sessionSalt,
        final byte[] shared,
        final byte[] clientNonce,
        final byte[] serverNonce,
        final byte[] connectMac,
        final boolean messageAuth)
    {
        // HKDF (RFC 5869) with SHA-256: extract with the secret's session salt, expand once per direction
        final byte[] pseudoRandomKey = Hmac.compute(sessionSalt, shared, clientNonce, serverNonce, connectMac);
        return new SessionKeys(
            Hmac.compute(pseudoRandomKey, Hmac.label("client to server"), new byte[]{1}),
            Hmac.compute(pseudoRandomKey, Hmac.label("server to client"), new byte[]{1}),
            messageAuth);
    }

    /**
     * Whether every message after the handshake carries a sequence number and tag.
     *
     * @return true when tagged.
     */
    public boolean messageAuth()
    {
        return messageAuth;
    }

    /**
     * A signer for what the client sends.
     *
     * @return signer, or null without message authentication.
     */
    public MessageSigner clientSigner()
    {
        return messageAuth ? new MessageSigner(clientToServer) : null;
    }

    /**
     * A verifier for what the server receives.
     *
     * @return verifier, or null without message authentication.
     */
    public MessageVerifier serverVerifier()
    {
        return messageAuth ? new MessageVerifier(clientToServer) : null;
    }

    /**
     * A signer for what the server sends.
     *
     * @return signer, or null without message authentication.
     */
    public MessageSigner serverSigner()
    {
        return messageAuth ? new MessageSigner(serverToClient) : null;
    }

    /**
     * A verifier for what the client receives.
     *
     * @return verifier, or null without message authentication.
     */
    public MessageVerifier clientVerifier()
    {
        return messageAuth ? new MessageVerifier(serverToClient) : null;
    }
}
