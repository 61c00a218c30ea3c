package dev.reward4j.core.data;

import java.util.function.Consumer;

/**
 * Raw UltraFeedback rows turned into preference pairs: {@link Pairing#ALL_PAIRS} (every ordered
 * pair with different scores, up to 6 per row of 4) or {@link Pairing#BEST_VS_REST} (the best
 * completion against each lower-scored one). Tied completions make no pair; each such tie is
 * counted as skipped. Pair ids are {@code <row id>#<i>-<j>}.
 *
 * @param pairing how pairs are formed
 * @param score which score ranks the completions
 * @param scoreMargin when true the pair's margin is the score difference
 */
public record UltraFeedbackPairs(Pairing pairing, UltraFeedbackScore score, boolean scoreMargin)
        implements Format<PreferencePair> {

    /** How pairs are formed from a ranked list. */
    public enum Pairing {
        /** Every pair of completions with different scores. */
        ALL_PAIRS,
        /** The best completion (first on ties) against every lower-scored completion. */
        BEST_VS_REST
    }

    /** All pairs by fine-grained score, no margin. */
    public static UltraFeedbackPairs allPairs() {
        return new UltraFeedbackPairs(Pairing.ALL_PAIRS, UltraFeedbackScore.FINE_GRAINED, false);
    }

    /** Best versus rest by fine-grained score, no margin. */
    public static UltraFeedbackPairs bestVsRest() {
        return new UltraFeedbackPairs(Pairing.BEST_VS_REST, UltraFeedbackScore.FINE_GRAINED, false);
    }

    @Override
    public void read(Row row, Consumer<? super PreferencePair> out) {
        RankedList list = UltraFeedbackRanked.parse(row, score);
        if (list == null) {
            return;
        }
        double[] s = list.scores();
        int k = s.length;
        if (pairing == Pairing.ALL_PAIRS) {
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    emit(row, list, s, i, j, out);
                }
            }
            return;
        }
        int best = 0;
        for (int i = 1; i < k; i++) {
            if (s[i] > s[best]) {
                best = i;
            }
        }
        for (int j = 0; j < k; j++) {
            if (j != best) {
                emit(row, list, s, best, j, out);
            }
        }
    }

    private void emit(
            Row row,
            RankedList list,
            double[] s,
            int i,
            int j,
            Consumer<? super PreferencePair> out) {
        if (s[i] == s[j]) {
            row.skip("tie between completions " + i + " and " + j + " (score " + s[i] + ")");
            return;
        }
        int hi = s[i] > s[j] ? i : j;
        int lo = hi == i ? j : i;
        out.accept(
                new PreferencePair(
                        list.id() + "#" + hi + "-" + lo,
                        list.prompt(),
                        list.responses().get(hi),
                        list.responses().get(lo),
                        scoreMargin
                                ? java.util.OptionalDouble.of(s[hi] - s[lo])
                                : java.util.OptionalDouble.empty(),
                        1.0,
                        row.source()));
    }
}
