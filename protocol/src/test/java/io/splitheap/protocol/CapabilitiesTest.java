package io.splitheap.protocol;

import io.splitheap.protocol.exceptions.SplitheapException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CapabilitiesTest
{
    @Test
    void shouldDeriveTheSameSecretFromTheSameKey()
    {
        final byte[] key = Capabilities.newClusterKey();
        assertEquals(new Capabilities(key).processSecret(7), new Capabilities(key.clone()).processSecret(7));
    }

    @Test
    void shouldGiveEveryProcessAndEveryClusterADifferentSecret()
    {
        final Capabilities one = new Capabilities(Capabilities.newClusterKey());
        final Capabilities other = new Capabilities(Capabilities.newClusterKey());
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
