package io.splitheap.agent;

import io.splitheap.protocol.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentConfigurationTest
{
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path temp;

    private String secretFile()
    {
        final java.nio.file.Path file = temp.resolve("cluster.secret");
        if (!java.nio.file.Files.exists(file))
        {
            io.splitheap.protocol.security.ClusterSecret.generate().write(file);
        }
        return file.toString();
    }

    @Test
    void shouldMapShortOptionsOntoSplitheapNames()
    {
        final AgentConfiguration configuration = AgentConfiguration.parse(
            "coordinator=10.0.0.1:40100,excache=64m,excache.policy=LRU,threshold=1m,include=com.a;org.b,stats=true," +
            "line=8k,prefetch=0,secret.file=" + secretFile());
        assertEquals("10.0.0.1:40100", configuration.coordinator().toString());
        assertEquals(64L << 20, configuration.excacheBytes());
        assertEquals("lru", configuration.policy());
        assertEquals(1L << 20, configuration.thresholdBytes());
        assertEquals(List.of("com.a", "org.b"), configuration.include());
        assertTrue(configuration.stats());
        assertEquals(8192, configuration.lineSize());
        assertEquals(0, configuration.prefetch());
        assertEquals(configuration.excacheBytes(), AgentConfiguration.parse(
            "splitheap.coordinator=10.0.0.1:40100,splitheap.excache.size=64m,secret.file=" + secretFile())
            .excacheBytes());
    }

    @Test
    void shouldRequireASecretFileWithARemoteCoordinator() throws java.io.IOException
    {
        final String missing = assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=10.0.0.1:40100")).getMessage();
        assertTrue(missing.contains("secret.file=PATH") && missing.contains("bin/splitheap run"), missing);
        final String absent = assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=10.0.0.1:40100,secret.file=" + temp.resolve("none")))
            .getMessage();
        assertTrue(absent.contains("does not exist") && absent.contains("bin/splitheap secret"), absent);
        final java.nio.file.Path open = java.nio.file.Path.of(secretFile());
        java.nio.file.Files.setPosixFilePermissions(open,
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        final String readable = assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=10.0.0.1:40100,secret.file=" + open)).getMessage();
        assertTrue(readable.contains("chmod 600"), readable);
    }

    @Test
    void shouldUseDefaults()
    {
        final String threshold = System.clearProperty("splitheap.threshold");
        final String stats = System.clearProperty("splitheap.stats");
        final AgentConfiguration configuration;
        try
        {
            configuration = AgentConfiguration.parse("coordinator=local");
        }
        finally
        {
            if (threshold != null)
            {
                System.setProperty("splitheap.threshold", threshold);
            }
            if (stats != null)
            {
                System.setProperty("splitheap.stats", stats);
            }
        }
        assertTrue(configuration.isLocal());
        assertEquals(256L << 20, configuration.excacheBytes());
        assertEquals("sweep", configuration.policy());
        assertEquals(64 * 1024, configuration.thresholdBytes());
        assertFalse(configuration.stats());
        assertTrue(configuration.include().isEmpty());
    }

    @Test
    void shouldNameTheBadValueAndWhatIsAllowed()
    {
        assertEquals("invalid configuration splitheap.excache.policy=random: fifo, lru, clock or sweep",
            assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=local,excache.policy=random")).getMessage());
        assertTrue(assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=local,excache=10k")).getMessage().contains("16 lines"));
        assertTrue(assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=nowhere")).getMessage().contains("HOST:PORT"));
        assertTrue(assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=local,line=3000")).getMessage().contains("power of two"));
        assertEquals("invalid configuration splitheap.outside=skip: guard or plain",
            assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=local,outside=skip")).getMessage());
    }

    @Test
    void shouldGuardClassesOutsideTheScopeUnlessToldOtherwise()
    {
        assertTrue(AgentConfiguration.parse("coordinator=local").guardOutside());
        assertTrue(AgentConfiguration.parse("coordinator=local,outside=Guard").guardOutside());
        assertFalse(AgentConfiguration.parse("coordinator=local,outside=plain").guardOutside());
    }

    @Test
    void shouldRequireACoordinatorAndSayHowToGetOne()
    {
        final String message = assertThrows(ConfigurationException.class, () -> AgentConfiguration.parse(""))
            .getMessage();
        assertTrue(message.contains("coordinator=HOST:PORT") && message.contains("bin/splitheap run"), message);
    }

    @Test
    void shouldRejectUnknownAndMalformedOptionsListingTheKnownOnes()
    {
        final String unknown = assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=local,excahce=1m")).getMessage();
        assertTrue(unknown.contains("unknown agent option 'excahce'") && unknown.contains("excache"), unknown);
        assertTrue(assertThrows(ConfigurationException.class,
            () -> AgentConfiguration.parse("coordinator=local,stats")).getMessage().contains("not key=value"));
    }
}
