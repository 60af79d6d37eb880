package io.splitheap.samples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizesTest
{
    @Test
    void shouldParsePlainBytes()
    {
        assertEquals(123, Sizes.parse("--working-set", "123"));
    }

    @Test
    void shouldParseBinarySuffixesInEitherCase()
    {
        assertEquals(64L * 1024, Sizes.parse("--working-set", "64k"));
        assertEquals(512L * 1024 * 1024, Sizes.parse("--working-set", "512m"));
        assertEquals(1L << 30, Sizes.parse("--working-set", "1g"));
        assertEquals(2L << 30, Sizes.parse("--working-set", "2G"));
        assertEquals(16L << 30, Sizes.parse("--working-set", "16G"));
        assertEquals(3L << 40, Sizes.parse("--working-set", "3t"));
    }

    @Test
    void shouldRejectMalformedSizesNamingOptionAndValue()
    {
        for (final String bad : new String[]{ "", "k", "1x", "-1", "1.5g", "g1", "1kb", " 1k", "99999999999t" })
        {
            final UsageException ex = assertThrows(UsageException.class, () -> Sizes.parse("--working-set", bad));
            assertTrue(ex.getMessage().startsWith("bad size for --working-set: '" + bad + "'"), ex.getMessage());
        }
    }
}
