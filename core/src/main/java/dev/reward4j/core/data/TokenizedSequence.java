package dev.reward4j.core.data;

import java.util.Arrays;

/**
 * Token ids of one prompt + response sequence, before padding. Positions {@code [0, promptLength)}
 * are the prompt (including any BOS and the chat template's generation prompt); positions {@code
 * [promptLength, length)} are the response (including EOS or the template's end-of-turn tokens),
 * which is what {@code responseMask} marks.
 *
 * @param ids token ids (not copied on access: treat as read-only)
 * @param promptLength number of prompt tokens, {@code 0 <= promptLength <= ids.length}
 */
public record TokenizedSequence(int[] ids, int promptLength) {
    /** Validates the fields. */
    public TokenizedSequence {
        if (promptLength < 0 || promptLength > ids.length) {
            throw new IllegalArgumentException(
                    "TokenizedSequence: promptLength ("
                            + promptLength
                            + ") outside [0, "
                            + ids.length
                            + "]");
        }
    }

    /** Total number of tokens. */
    public int length() {
        return ids.length;
    }

    /** Number of response tokens. */
    public int responseLength() {
        return ids.length - promptLength;
    }

    /** The prompt ids (a copy). */
    public int[] promptIds() {
        return Arrays.copyOfRange(ids, 0, promptLength);
    }

    /** The response ids (a copy). */
    public int[] responseIds() {
        return Arrays.copyOfRange(ids, promptLength, ids.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedSequence t
                && promptLength == t.promptLength
                && Arrays.equals(ids, t.ids);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + promptLength;
    }

    @Override
    public String toString() {
        return "TokenizedSequence[ids="
                + Arrays.toString(ids)
                + ", promptLength="
                + promptLength
                + "]";
    }
}
