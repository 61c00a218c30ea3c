package dev.reward4j.trainers.diagnostics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.RowBlocks;
import dev.reward4j.core.model.TokenStatistics;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The per-pair diagnostics of a DPO-family batch, computed on the device from the policy forward
 * the training step already runs ({@code DecoderModel.tokenStatistics}) and the reference log-probs
 * it already has, and turned into metrics from host copies the step makes anyway.
 *
 * <p>Rows ({@link #ROWS}, each {@code (B)}): CHES and length-normalised CHES ({@link Ches}); the
 * sums over the chosen and over the rejected response tokens of the top-k entropy and top-k mass,
 * and those token counts; whether the idealized policy ranks the pair correctly ({@link
 * IdealizedRanking}; NaN without a reference).
 *
 * @param topK k of the top-k statistics, {@code >= 1}
 * @param probability the pairs' preference probability for the idealized ranking
 * @param beta the KL coefficient of the idealized policy, {@code > 0} (the objective's beta)
 */
public record PairDiagnostics(int topK, PreferenceProbability probability, double beta) {
    /** Default k of the top-k statistics. */
    public static final int DEFAULT_TOP_K = 10;

    /** The row names, in the order of {@link #rows}. */
    public static final List<String> ROWS =
            List.of(
                    "ches",
                    "ches_ln",
                    "topk_entropy_chosen_sum",
                    "topk_entropy_rejected_sum",
                    "topk_mass_chosen_sum",
                    "topk_mass_rejected_sum",
                    "tokens_chosen",
                    "tokens_rejected",
                    "idealized_correct");

    /** Validates the fields. */
    public PairDiagnostics {
        Checks.argument(topK >= 1, () -> "diagnostics: top_k (" + topK + ") must be >= 1");
        Objects.requireNonNull(probability, "diagnostics: probability");
        Checks.argument(
                beta > 0 && Double.isFinite(beta),
                () -> "diagnostics: beta (" + beta + ") must be finite and > 0");
    }

    /** k = {@value #DEFAULT_TOP_K}, constant preference probability 0.75, the given beta. */
    public static PairDiagnostics defaults(double beta) {
        return new PairDiagnostics(DEFAULT_TOP_K, PreferenceProbability.defaults(), beta);
    }

    /**
     * The diagnostic rows of one batch.
     *
     * @param stats the policy's token statistics of the batch's {@code 2B} rows
     * @param batch the batch
     * @param referenceChosen (B) summed reference log-probs of the chosen responses, or null
     * @param referenceRejected (B) of the rejected responses, or null
     * @return {@link #ROWS} in order, each (B) float32, detached
     */
    public List<NDArray> rows(
            TokenStatistics stats,
            PairBatch batch,
            NDArray referenceChosen,
            NDArray referenceRejected) {
        NDList ches = Ches.scores(stats.hidden(), batch.responseMask());
        NDArray m = batch.responseMask().toType(DataType.FLOAT32, false);
        NDList entropy = RowBlocks.halves(stats.topKEntropy().mul(m).sum(new int[] {1}));
        NDList mass = RowBlocks.halves(stats.topKMass().mul(m).sum(new int[] {1}));
        NDList tokens = RowBlocks.halves(m.sum(new int[] {1}));
        NDArray ideal =
                referenceChosen == null
                        ? ches.get(0)
                                .getManager()
                                .full(ches.get(0).getShape(), Float.NaN, DataType.FLOAT32)
                        : IdealizedRanking.correct(
                                referenceChosen,
                                referenceRejected,
                                probability.logOdds(batch),
                                beta);
        List<NDArray> out = new ArrayList<>(ROWS.size());
        out.add(ches.get(0));
        out.add(ches.get(1));
        out.add(entropy.get(0));
        out.add(entropy.get(1));
        out.add(mass.get(0));
        out.add(mass.get(1));
        out.add(tokens.get(0));
        out.add(tokens.get(1));
        out.add(ideal.toType(DataType.FLOAT32, false));
        return out;
    }

    /**
     * Adds the metrics of one batch's host rows: {@link MetricNames#CHES} and {@link
     * MetricNames#CHES_LENGTH_NORMALIZED} (with standard deviations), {@link
     * MetricNames#TOPK_ENTROPY} and {@link MetricNames#TOPK_MASS} (means over all response tokens),
     * and with a reference {@link MetricNames#IDEALIZED_RANKING_ACCURACY} and {@link
     * MetricNames#ALIGNMENT_GAP}.
     *
     * @param bag the step's metrics
     * @param rows {@link #ROWS} as host values, each of length B
     * @param policyChosen (B) summed policy log-probs of the chosen responses (for the gap)
     * @param policyRejected (B) of the rejected responses
     * @return {@code bag}
     */
    public static MetricBag addTo(
            MetricBag bag, double[][] rows, double[] policyChosen, double[] policyRejected) {
        Checks.argument(
                rows.length == ROWS.size(),
                () -> "diagnostics: " + rows.length + " rows; expected " + ROWS.size());
        int b = rows[0].length;
        double s = 0;
        double ss = 0;
        double l = 0;
        double ll = 0;
        double ent = 0;
        double mass = 0;
        double tokens = 0;
        double ideal = 0;
        double gap = 0;
        boolean hasIdeal = true;
        for (int i = 0; i < b; i++) {
            s += rows[0][i];
            ss += rows[0][i] * rows[0][i];
            l += rows[1][i];
            ll += rows[1][i] * rows[1][i];
            ent += rows[2][i] + rows[3][i];
            mass += rows[4][i] + rows[5][i];
            tokens += rows[6][i] + rows[7][i];
            double correct = rows[8][i];
            if (Double.isNaN(correct)) {
                hasIdeal = false;
            } else {
                ideal += correct;
                gap += correct - (policyChosen[i] > policyRejected[i] ? 1 : 0);
            }
        }
        bag.addMoments(MetricNames.CHES, s, ss, b);
        bag.addMoments(MetricNames.CHES_LENGTH_NORMALIZED, l, ll, b);
        bag.add(MetricNames.TOPK_ENTROPY, ent, tokens);
        bag.add(MetricNames.TOPK_MASS, mass, tokens);
        if (hasIdeal) {
            bag.add(MetricNames.IDEALIZED_RANKING_ACCURACY, ideal, b);
            bag.add(MetricNames.ALIGNMENT_GAP, gap, b);
        }
        return bag;
    }
}
