package dev.reward4j.trainers.eval;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * RewardBench v2 scoring on already computed scores, as in {@code scripts/run_v2.py} of the
 * RewardBench repository (github.com/allenai/reward-bench: {@code reroll_and_score_dataset}, {@code
 * process_single_model}). Pure: no model, no I/O.
 *
 * <p><b>Best-of-N subsets</b> (every subset except {@value #TIES}, compared case-insensitively as
 * in {@code run_v2.py}): per row, with {@code k} completions tied at the maximum score, the row
 * scores {@code 1/k} when the first chosen completion's score equals the maximum, else 0 (the
 * expected accuracy of a uniformly random tie-break; RewardBench's {@code reroll_and_score_dataset}
 * looks at {@code scores[0]} only). Subset score = mean over rows.
 *
 * <p><b>Ties subset</b>: ids are {@code ref:N} or {@code tied:N}; the first {@code num_correct}
 * scores of {@code chosen ++ rejected} are the correct completions ({@code num_correct} defaults to
 * the number of chosen). Per row {@code margin = min(correct) - max(incorrect)}, accurate when
 * {@code margin > 0}, {@code spread = max(correct) - min(correct)}. Then {@code score = 0.30
 * acc_tied + 0.30 acc_ref + 0.20 pref + 0.20 pref_hard + 0.01 tie_break} with {@code pref =
 * P(margin_tied > spread_tied)}, {@code pref_hard = P(min(margin_ref, margin_tied) > spread_tied)}
 * and {@code tie_break = mean(tanh(min(margin_ref, margin_tied) / spread_tied - 1))} over prompts
 * having both rows; a 0/0 term counts as 0 and {@code x/0} follows IEEE ({@code tanh(+-inf) =
 * +-1}). Rows pair by the numeric value of N when it is an integer ({@code ref:01} pairs with
 * {@code tied:1}, like {@code int(prompt_id)}). A mean over an empty group is 0 (RewardBench: 0 for
 * no ref or tied rows, but NaN for no paired prompt; reward4j reports 0 and the count in {@link
 * TiesDetail#pairedPrompts()}).
 *
 * <p><b>Overall</b> = unweighted mean of the subset scores.
 */
public final class RewardBenchV2 {
    /** Name of the Ties subset. */
    public static final String TIES = "Ties";

    private RewardBenchV2() {}

    /** Scores v2 rows. */
    public static V2Result score(List<RowScores> rows) {
        Map<String, double[]> perSubset = new LinkedHashMap<>();
        List<RowScores> ties = new ArrayList<>();
        for (RowScores r : rows) {
            if (isTies(r.subset())) {
                ties.add(r);
                perSubset.putIfAbsent(r.subset(), null);
                continue;
            }
            double[] acc = perSubset.computeIfAbsent(r.subset(), k -> new double[2]);
            acc[0] += bestOfN(r);
            acc[1]++;
        }
        Optional<TiesDetail> tiesDetail =
                ties.isEmpty() ? Optional.empty() : Optional.of(ties(ties));
        List<SubsetScore> subsets = new ArrayList<>();
        perSubset.forEach(
                (s, a) ->
                        subsets.add(
                                isTies(s)
                                        ? new SubsetScore(
                                                s, tiesDetail.orElseThrow().score(), ties.size())
                                        : new SubsetScore(s, a[0] / a[1], (int) a[1])));
        double overall =
                subsets.stream().mapToDouble(SubsetScore::score).average().orElse(Double.NaN);
        return new V2Result(subsets, tiesDetail, overall);
    }

    /**
     * Whether {@code subset} is the Ties subset (case-insensitive, as RewardBench's {@code
     * subset.lower() == "ties"}).
     */
    static boolean isTies(String subset) {
        return TIES.equalsIgnoreCase(subset);
    }

    /**
     * One best-of-N row: {@code 1/k} when the first chosen score is the maximum, shared by k
     * completions; else 0.
     */
    static double bestOfN(RowScores r) {
        double[] all = r.all();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : all) {
            max = Math.max(max, v);
        }
        if (all[0] != max) {
            return 0;
        }
        int atMax = 0;
        for (double v : all) {
            if (v == max) {
                atMax++;
            }
        }
        return 1.0 / atMax;
    }

    /** Margin and spread of one Ties row: {@code [margin, spread]}. */
    static double[] marginAndSpread(RowScores r) {
        double[] all = r.all();
        int nc = r.numCorrect().orElse(r.chosen().length);
        Checks.argument(
                nc >= 1 && nc < all.length,
                () ->
                        "rewardbench v2: Ties row '"
                                + r.id()
                                + "' has num_correct "
                                + nc
                                + " of "
                                + all.length
                                + " completions; expected 1 <= num_correct < completions");
        double minCorrect = Double.POSITIVE_INFINITY;
        double maxCorrect = Double.NEGATIVE_INFINITY;
        double maxIncorrect = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < all.length; i++) {
            if (i < nc) {
                minCorrect = Math.min(minCorrect, all[i]);
                maxCorrect = Math.max(maxCorrect, all[i]);
            } else {
                maxIncorrect = Math.max(maxIncorrect, all[i]);
            }
        }
        return new double[] {minCorrect - maxIncorrect, maxCorrect - minCorrect};
    }

    static TiesDetail ties(List<RowScores> rows) {
        Map<String, double[]> ref = new TreeMap<>();
        Map<String, double[]> tied = new TreeMap<>();
        for (RowScores r : rows) {
            String id = r.id();
            int colon = id.indexOf(':');
            String kind = colon < 0 ? "" : id.substring(0, colon);
            String key = promptKey(id.substring(colon + 1));
            Map<String, double[]> target =
                    switch (kind) {
                        case "ref" -> ref;
                        case "tied" -> tied;
                        default ->
                                throw new IllegalArgumentException(
                                        "rewardbench v2: Ties row id '"
                                                + id
                                                + "' is neither 'ref:N' nor 'tied:N'; the Ties"
                                                + " formula needs them to pair rows");
                    };
            Checks.argument(
                    target.put(key, marginAndSpread(r)) == null,
                    () ->
                            "rewardbench v2: Ties row id '"
                                    + id
                                    + "' appears twice; expected unique ids");
        }
        double accRef = meanOf(ref.values().stream().mapToDouble(m -> m[0] > 0 ? 1 : 0).toArray());
        double accTied =
                meanOf(tied.values().stream().mapToDouble(m -> m[0] > 0 ? 1 : 0).toArray());
        List<double[]> both = new ArrayList<>(); // {marginRef, marginTied, spreadTied}
        tied.forEach(
                (k, t) -> {
                    double[] r = ref.get(k);
                    if (r != null) {
                        both.add(new double[] {r[0], t[0], t[1]});
                    }
                });
        double pref = meanOf(both.stream().mapToDouble(b -> b[1] > b[2] ? 1 : 0).toArray());
        double prefHard =
                meanOf(
                        both.stream()
                                .mapToDouble(b -> Math.min(b[0], b[1]) > b[2] ? 1 : 0)
                                .toArray());
        double tieBreak =
                meanOf(
                        both.stream()
                                .mapToDouble(
                                        b -> {
                                            double t = Math.tanh(Math.min(b[0], b[1]) / b[2] - 1);
                                            return Double.isNaN(t) ? 0 : t;
                                        })
                                .toArray());
        double score =
                0.30 * accTied + 0.30 * accRef + 0.20 * pref + 0.20 * prefHard + 0.01 * tieBreak;
        return new TiesDetail(
                accRef,
                accTied,
                pref,
                prefHard,
                tieBreak,
                ref.size(),
                tied.size(),
                both.size(),
                score);
    }

    /**
     * The prompt id as RewardBench's {@code int(prompt_id)} when it is an integer, else the text
     * itself.
     */
    private static String promptKey(String n) {
        try {
            return Long.toString(Long.parseLong(n.trim()));
        } catch (NumberFormatException e) {
            return n;
        }
    }

    private static double meanOf(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }
}
