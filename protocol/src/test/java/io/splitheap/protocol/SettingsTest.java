package io.splitheap.protocol;

import io.splitheap.protocol.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest
{
    @Test
    void shouldParseSizesWithSuffixes()
    {
        assertEquals(4096, Settings.parseSize("k", "4096"));
        assertEquals(64 * 1024, Settings.parseSize("k", "64k"));
        assertEquals(256L << 20, Settings.parseSize("k", "256m"));
        assertEquals(1L << 30, Settings.parseSize("k", "1g"));
        assertEquals(1L << 30, Settings.parseSize("k", " 1G "));
    }

    @Test
    void shouldNameKeyValueAndWhatIsAllowedWhenASizeIsBad()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> Settings.parseSize("splitheap.excache.size", "12x"));
        assertEquals("invalid configuration splitheap.excache.size=12x: a size such as 4096, 64k, 256m or 1g",
            ex.getMessage());
        assertThrows(ConfigurationException.class, () -> Settings.parseSize("k", "-1"));
    }

    @Test
    void shouldParseDurations()
    {
        assertEquals(500_000, Settings.parseDurationNs("d", "500us"));
        assertEquals(100_000_000, Settings.parseDurationNs("d", "100ms"));
        assertEquals(5_000_000_000L, Settings.parseDurationNs("d", "5s"));
        assertThrows(ConfigurationException.class, () -> Settings.parseDurationNs("d", "soon"));
    }

    @Test
    void shouldCheckPowersOfTwoAndRanges()
    {
        assertEquals(30, Settings.log2PowerOfTwo("v", 1L << 30, 1, 1L << 40));
        assertThrows(ConfigurationException.class, () -> Settings.log2PowerOfTwo("v", 3000, 1, 1L << 40));
        assertThrows(ConfigurationException.class, () -> Settings.parseInt("n", "0", 1, 10));
        assertThrows(ConfigurationException.class, () -> Settings.parseBoolean("b", "maybe"));
        assertTrue(Settings.parseBoolean("b", "yes"));
    }

    @Test
    void shouldPreferExplicitValuesOverPropertiesAndDefaults()
    {
        System.setProperty("splitheap.test.key", "fromProperty");
        try
        {
            assertEquals("explicit", Settings.get(Map.of("splitheap.test.key", "explicit"), "splitheap.test.key", "d"));
            assertEquals("fromProperty", Settings.get(Map.of(), "splitheap.test.key", "d"));
            assertEquals("d", Settings.get(Map.of(), "splitheap.test.other", "d"));
        }
        finally
        {
            System.clearProperty("splitheap.test.key");
        }
    }

    @Test
    void shouldRefuseAVRegionSizeThatIsNotAPowerOfTwo()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> CommonConfiguration.vRegionShift(Map.of(CommonConfiguration.VREGION_SIZE_PROP_NAME, "3m")));
        assertTrue(ex.getMessage().startsWith("invalid configuration splitheap.vregion.size="), ex.getMessage());
    }

    @Test
    void shouldParseEndpoints()
    {
        assertEquals(new Endpoint("127.0.0.1", 40100), Endpoint.parse("127.0.0.1:40100"));
        assertEquals("host:1", Endpoint.parse("host:1").toString());
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("nohost"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("h:99999"));
        assertThrows(ConfigurationException.class, () -> Settings.parseEndpoint("splitheap.coordinator", "x"));
    }

    @Test
    void shouldValidateAddressRanges()
    {
        assertTrue(FarAddress.isValidRange(4096, 4096));
        assertTrue(!FarAddress.isValidRange(0, 4096));
        assertTrue(!FarAddress.isValidRange(FarAddress.ADDRESS_LIMIT - 4096, 8192));
        assertTrue(!FarAddress.isValidRange(4096, Long.MAX_VALUE));
        assertEquals(3, FarAddress.vRegion(3L << 30, 30));
    }
}
