package io.splitheap.protocol;

import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.security.ClusterSecret;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CapabilitiesTest
{
    @Test
    void shouldDeriveTheSameSecretFromTheSameKey()
    {
        final ClusterSecret secret = ClusterSecret.generate();
        assertEquals(Capabilities.of(secret, 5).processSecret(7), Capabilities.of(secret, 5).processSecret(7));
    }

    @Test
    void shouldGiveEveryProcessAndEveryClusterADifferentSecret()
    {
        final ClusterSecret secret = ClusterSecret.generate();
        final Capabilities one = Capabilities.of(secret, 1);
        final Capabilities other = Capabilities.of(ClusterSecret.generate(), 1);
        assertNotEquals(one.processSecret(1), Capabilities.of(secret, 2).processSecret(1),
            "a restarted coordinator (new incarnation) issues new secrets");
        assertNotEquals(one.processSecret(1), one.processSecret(2));
        assertNotEquals(one.processSecret(1), other.processSecret(1));
        assertNotEquals(one.coordinatorToken(), other.coordinatorToken());
        assertNotEquals(one.coordinatorToken(), one.processSecret(0));
    }

    @Test
    void shouldRefuseAKeyOfTheWrongLength()
    {
        assertThrows(SplitheapException.class, () -> new Capabilities(new byte[3]));
    }
}
