package dev.reward4j.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TruncationPolicyTest {
    @Test
    void defaultsKeepThePromptEndWithAResponseReserve() {
        assertEquals(
                new TruncationPolicy.KeepPromptEnd(1024, 64, false), TruncationPolicy.defaults());
    }

    @Test
    void invalidLengthsAreRejectedWithTheFieldName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new TruncationPolicy.Drop(0));
        assertTrue(e.getMessage().contains("TruncationPolicy.Drop.maxLength"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new TruncationPolicy.KeepPromptEnd(64, 64, true));
        assertTrue(
                e.getMessage().contains("reserveResponse (64) >= maxLength (64)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TruncationPolicy.KeepEnd(-1));
    }
}
