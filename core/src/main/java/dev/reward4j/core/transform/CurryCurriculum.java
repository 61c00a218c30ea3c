package dev.reward4j.core.transform;

import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.UltraFeedbackPairs.Pairing;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Curry-DPO's curriculum: preference pairs formed from N rated responses to one prompt, ordered
 * from easy (large rating gap) to hard (small gap) and assigned to training stages, with the
 * reference model refreshed to the policy between stages (the trainer's part).
 *
 * <p>Per prompt, the pairs (every response against every lower-rated one, or the best response
 * against each other one) are sorted by rating gap, largest first (equal gaps by response index),
 * and the pair of rank {@code r} among the prompt's {@code m} pairs goes to stage \( \lfloor r S /
 * m \rfloor \) of {@code S}. With four responses, best-versus-rest and three stages, this is the
 * paper's schedule: stage 1 trains on (R1, R4), stage 2 on (R1, R3), stage 3 on (R1, R2). A prompt
 * with fewer pairs than stages contributes to the first stages only. Ties make no pair; each is
 * counted as skipped.
 *
 * <p>Pair ids are {@code <list id>#<chosen index>-<rejected index>}, as {@code UltraFeedbackPairs}
 * names them.
 *
 * <p>Reference: "Curry-DPO: Enhancing Alignment using Curriculum Learning &amp; Ranked
 * Preferences", arXiv:2403.07230.
 *
 * @param pairing which pairs a list gives: best versus rest (the paper's figure) or all pairs
 * @param stages number of stages {@code S >= 1}
 * @param gapMargin when true each pair's margin is its rating gap
 */
public record CurryCurriculum(Pairing pairing, int stages, boolean gapMargin) {
    /** Validates the fields. */
    public CurryCurriculum {
        Objects.requireNonNull(pairing, "CurryCurriculum: pairing");
        Checks.argument(
                stages >= 1,
                () -> "CurryCurriculum: stages (" + stages + ") must be >= 1; expected 1 or more");
    }

    /** Best versus rest, three stages, no margin (four rated responses give one pair a stage). */
    public static CurryCurriculum defaults() {
        return new CurryCurriculum(Pairing.BEST_VS_REST, 3, false);
    }

    /**
     * The staged pairs of one ranked list, easiest first.
     *
     * @param list the rated responses of one prompt
     * @param tie receives a reason for every tied couple that makes no pair (to be counted)
     * @return the pairs with their stages, sorted by stage and then gap (largest first)
     */
    public List<StagedPair> pairs(RankedList list, Consumer<String> tie) {
        double[] s = list.scores();
        List<int[]> ordered = couples(list, pairing, tie);
        int m = ordered.size();
        List<StagedPair> out = new ArrayList<>(m);
        for (int r = 0; r < m; r++) {
            int[] c = ordered.get(r);
            double gap = s[c[0]] - s[c[1]];
            PreferencePair p =
                    new PreferencePair(
                            list.id() + "#" + c[0] + "-" + c[1],
                            list.prompt(),
                            list.responses().get(c[0]),
                            list.responses().get(c[1]),
                            gapMargin ? OptionalDouble.of(gap) : OptionalDouble.empty(),
                            1.0,
                            list.source());
            out.add(new StagedPair(p, (int) ((long) r * stages / m), gap));
        }
        return out;
    }

    /**
     * The (better, worse) response index couples of {@code list} under {@code pairing}, sorted by
     * rating gap, largest first (equal gaps by index); ties make no couple and are reported.
     */
    static List<int[]> couples(RankedList list, Pairing pairing, Consumer<String> tie) {
        double[] s = list.scores();
        int k = s.length;
        List<int[]> candidates = new ArrayList<>();
        if (pairing == Pairing.ALL_PAIRS) {
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    candidates.add(new int[] {i, j});
                }
            }
        } else {
            int best = 0;
            for (int i = 1; i < k; i++) {
                if (s[i] > s[best]) {
                    best = i;
                }
            }
            for (int j = 0; j < k; j++) {
                if (j != best) {
                    candidates.add(new int[] {best, j});
                }
            }
        }
        List<int[]> ordered = new ArrayList<>();
        for (int[] c : candidates) {
            if (s[c[0]] == s[c[1]]) {
                tie.accept(
                        "tie between responses "
                                + c[0]
                                + " and "
                                + c[1]
                                + " (score "
                                + s[c[0]]
                                + "): no pair");
                continue;
            }
            ordered.add(s[c[0]] > s[c[1]] ? c : new int[] {c[1], c[0]});
        }
        ordered.sort(
                Comparator.<int[]>comparingDouble(c -> -(s[c[0]] - s[c[1]]))
                        .thenComparingInt(c -> c[0])
                        .thenComparingInt(c -> c[1]));
        return ordered;
    }

    /**
     * {@code lists} read as staged pairs: every list becomes its curriculum pairs; ties are counted
     * as skipped at the row's file and line.
     */
    public Format<StagedPair> on(Format<RankedList> lists) {
        Objects.requireNonNull(lists, "CurryCurriculum: lists");
        return (row, out) -> lists.read(row, list -> pairs(list, row::skip).forEach(out));
    }

    /**
     * Groups staged pairs by stage, keeping their order within a stage.
     *
     * @param pairs staged pairs (stages below {@link #stages()})
     * @return {@link #stages()} lists of pairs, stage 0 first (a stage may be empty)
     */
    public List<List<PreferencePair>> byStage(List<StagedPair> pairs) {
        List<List<PreferencePair>> out = new ArrayList<>(stages);
        for (int i = 0; i < stages; i++) {
            out.add(new ArrayList<>());
        }
        for (StagedPair p : pairs) {
            Checks.argument(
                    p.stage() < stages,
                    () ->
                            "CurryCurriculum: pair "
                                    + p.pair().id()
                                    + " has stage "
                                    + p.stage()
                                    + "; expected < "
                                    + stages);
            out.get(p.stage()).add(p.pair());
        }
        return out;
    }
}
