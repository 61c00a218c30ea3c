package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions shared by the losses tests. */
final class Expect {
    private Expect() {}

    /**
     * Asserts an {@link IllegalArgumentException} whose message contains every fragment (the
     * argument name, the actual value and the expected value) and follows the house format.
     */
    static IllegalArgumentException badArgument(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = e.getMessage();
        for (String f : fragments) {
            assertTrue(msg.contains(f), () -> "message lacks '" + f + "': " + msg);
        }
        assertTrue(
                msg.matches("(?s)[^:]+: .+ \\(.+\\); expected .+"),
                () -> "not in house format: " + msg);
        return e;
    }
}
