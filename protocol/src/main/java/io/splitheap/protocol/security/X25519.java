package io.splitheap.protocol.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Ephemeral X25519 key agreement (RFC 7748) from the JDK, with public keys as their 32-byte little-endian
 * u-coordinate on the wire.
 */
final class X25519
{
    static final int KEY_LENGTH = 32;

    private X25519()
    {
    }

    static KeyPair newKeyPair()
    {
        try
        {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("X25519 unavailable", ex);
        }
    }

    static byte[] encode(final PublicKey key)
    {
        final byte[] bigEndian = ((XECPublicKey)key).getU().toByteArray();
        final byte[] littleEndian = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH && i < bigEndian.length; i++)
        {
            littleEndian[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return littleEndian;
    }

    /**
     * The shared secret with a peer's public key.
     *
     * @return 32 bytes, or null when the peer's key is invalid (for example of small order).
     */
    static byte[] agree(final KeyPair own, final byte[] peerKey)
    {
        final byte[] bigEndian = new byte[KEY_LENGTH + 1];
        for (int i = 0; i < KEY_LENGTH; i++)
        {
            bigEndian[KEY_LENGTH - i] = peerKey[i];
        }
        bigEndian[1] &= 0x7F; // RFC 7748: the top bit of the last byte is ignored
        try
        {
            final PublicKey peer = KeyFactory.getInstance("X25519").generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(bigEndian)));
            final KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(own.getPrivate());
            agreement.doPhase(peer, true);
            final byte[] shared = agreement.generateSecret();
            int any = 0;
            for (final byte b : shared)
            {
                any |= b;
            }
            return any == 0 ? null : shared;
        }
        catch (final GeneralSecurityException | RuntimeException ex)
        {
            return null;
        }
    }
}
