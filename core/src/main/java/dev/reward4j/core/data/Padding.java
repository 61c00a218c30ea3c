package dev.reward4j.core.data;

import dev.reward4j.core.util.Checks;

/**
 * How collators pad.
 *
 * @param side left or right
 * @param padId the pad token id (may equal EOS)
 * @param padToMultipleOf T is rounded up to a multiple of this ({@code 1} = pad to the longest row)
 * @param bosId BOS id for the collate-time assertion that no row starts with BOS BOS ({@code -1} =
 *     no check)
 */
public record Padding(PaddingSide side, int padId, int padToMultipleOf, int bosId) {
    /** Validates the fields. */
    public Padding {
        Checks.argument(side != null, "Padding: side is null; expected LEFT or RIGHT");
        Checks.argument(
                padId >= 0, () -> "Padding: padId (" + padId + ") < 0; expected a token id");
        Checks.positive(padToMultipleOf, "Padding.padToMultipleOf");
        Checks.argument(
                bosId >= -1,
                () -> "Padding: bosId (" + bosId + ") < -1; expected a token id or -1");
    }

    /** Right padding with {@code padId}, to the longest row. */
    public static Padding right(int padId) {
        return new Padding(PaddingSide.RIGHT, padId, 1, -1);
    }

    /** Left padding with {@code padId}, to the longest row. */
    public static Padding left(int padId) {
        return new Padding(PaddingSide.LEFT, padId, 1, -1);
    }

    /** With a multiple. */
    public Padding withPadToMultipleOf(int multiple) {
        return new Padding(side, padId, multiple, bosId);
    }

    /** With a BOS id for the double-BOS assertion. */
    public Padding withBosId(int bosId) {
        return new Padding(side, padId, padToMultipleOf, bosId);
    }

    /** The padded length for a longest row of {@code longest} tokens. */
    int paddedLength(int longest) {
        return ((Math.max(longest, 1) + padToMultipleOf - 1) / padToMultipleOf) * padToMultipleOf;
    }
}
