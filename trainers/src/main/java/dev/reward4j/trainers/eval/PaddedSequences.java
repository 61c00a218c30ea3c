package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.util.Checks;
import java.util.Arrays;
import java.util.List;

/**
 * The one scoring loop for single sequences (one prompt + response each): the sequences of a batch
 * are right-padded with the pad id into {@code (N, T)} ids, attention mask and response mask (1 on
 * the tokens after {@link TokenizedSequence#promptLength()}), created in a sub-manager of the
 * caller's manager that is closed before returning, run through the model and copied to the host.
 * Rows never interact (the score position comes from each row's own ids and mask), so a score does
 * not depend on the batch it is in beyond float32 rounding. {@code score} and the scoring API
 * ({@code dev.reward4j.trainers.RewardScorer}, sequences tokenized as training tokenizes them) and
 * the RewardBench scorers ({@link ModelTextScorer}, {@link PolicyTextScorer}) use it. Call it with
 * gradient recording off.
 */
public final class PaddedSequences {
    private PaddedSequences() {}

    /**
     * The reward-model scores of {@code seqs}: {@code (N, K)} on the host, row i = sequence i.
     *
     * @param seqs the sequences (at least one)
     * @param padId the pad id (positions after a row's end have attention mask 0)
     * @param model the forward pass, e.g. {@code decoderModel::scores}
     * @param parent parent of the batch's sub-manager (on the model's device)
     */
    public static double[][] scores(
            List<TokenizedSequence> seqs, int padId, ScoreForward model, NDManager parent) {
        Padded p = pad(seqs, padId);
        try (NDManager m = parent.newSubManager()) {
            NDArray out = model.scores(p.ids(m), p.mask(m));
            Checks.state(
                    out.getShape().get(0) == p.rows,
                    () ->
                            "scorer: model returned shape "
                                    + out.getShape()
                                    + " for "
                                    + p.rows
                                    + " sequences; expected (N) or (N, K)");
            NDArray two = out.getShape().dimension() == 2 ? out : out.reshape(p.rows, 1);
            int k = (int) two.getShape().get(1);
            float[] v = two.toType(DataType.FLOAT32, false).toFloatArray();
            double[][] rows = new double[p.rows][k];
            for (int r = 0; r < p.rows; r++) {
                for (int j = 0; j < k; j++) {
                    rows[r][j] = v[r * k + j];
                }
            }
            return rows;
        }
    }

    /**
     * The implicit rewards of {@code seqs} under a policy (and, for {@link
     * ImplicitReward.LogRatio}, a reference): summed or averaged response-token log-probs, see
     * {@link ImplicitReward#of(double, double, int)}.
     *
     * @param seqs the sequences (at least one)
     * @param padId the pad id
     * @param policy the policy's per-token log-probs
     * @param reference the reference's, or null when {@code reward} needs none
     * @param reward how the log-probs become a reward
     * @param parent parent of the batch's sub-manager
     */
    public static double[] implicitRewards(
            List<TokenizedSequence> seqs,
            int padId,
            TokenLogpsModel policy,
            TokenLogpsModel reference,
            ImplicitReward reward,
            NDManager parent) {
        Checks.argument(
                !reward.needsReference() || reference != null,
                () ->
                        "scorer: "
                                + reward
                                + " needs a reference model (got null); pass one or use a"
                                + " reference-free reward (PolicySum, PolicyMean)");
        Padded p = pad(seqs, padId);
        try (NDManager m = parent.newSubManager()) {
            NDArray ids = p.ids(m);
            NDArray mask = p.mask(m);
            NDArray response = m.create(p.responseMask, new Shape(p.rows, p.width));
            double[] pol = rowSums(policy.tokenLogps(ids, mask), response);
            double[] ref =
                    reward.needsReference()
                            ? rowSums(reference.tokenLogps(ids, mask), response)
                            : new double[p.rows];
            double[] out = new double[p.rows];
            for (int r = 0; r < p.rows; r++) {
                out[r] =
                        reward.of(
                                pol[r], ref[r], seqs.get(r).length() - seqs.get(r).promptLength());
            }
            return out;
        }
    }

    private static double[] rowSums(NDArray tokenLogps, NDArray responseMask) {
        float[] v =
                tokenLogps
                        .toType(DataType.FLOAT32, false)
                        .mul(responseMask)
                        .sum(new int[] {1})
                        .toFloatArray();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** Right-padded host rows. */
    private static Padded pad(List<TokenizedSequence> seqs, int padId) {
        Checks.argument(!seqs.isEmpty(), "scorer: no sequence to score (0); expected at least one");
        int width = 1;
        for (TokenizedSequence s : seqs) {
            width = Math.max(width, s.length());
        }
        int rows = seqs.size();
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        float[] response = new float[rows * width];
        Arrays.fill(ids, padId);
        for (int r = 0; r < rows; r++) {
            int[] s = seqs.get(r).ids();
            int promptLength = seqs.get(r).promptLength();
            for (int t = 0; t < s.length; t++) {
                ids[r * width + t] = s[t];
                mask[r * width + t] = 1;
                response[r * width + t] = t >= promptLength ? 1f : 0f;
            }
        }
        return new Padded(rows, width, ids, mask, response);
    }

    private record Padded(int rows, int width, long[] ids, long[] mask, float[] responseMask) {
        NDArray ids(NDManager m) {
            return m.create(ids, new Shape(rows, width));
        }

        NDArray mask(NDManager m) {
            return m.create(mask, new Shape(rows, width));
        }
    }
}
