package dev.reward4j.core.data;

import java.util.Objects;

/** Plain (untemplated) text. @param text the text, never null */
public record PlainText(String text) implements Text {
    /** Validates the field. */
    public PlainText {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public boolean isEmpty() {
        return text.isEmpty();
    }
}
