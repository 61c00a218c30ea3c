package dev.reward4j.core.data;

import dev.reward4j.core.text.TextEncoder;

/**
 * A deliberate violation of the core layout rule (a {@code core.data} class using {@code
 * core.text}), in test sources only, used to show that the architecture test can fail.
 */
public final class ArchViolationFixture {
    private ArchViolationFixture() {}

    /** Uses the tokenizer from the data package. */
    public static String describe(TextEncoder encoder) {
        return String.valueOf(encoder);
    }
}
