package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Process (step-level) reward-model objectives.
 *
 * <p><b>Shapes.</b> Step logits, labels and the step mask are {@code (B, S)} (B solutions padded to
 * S steps), weights {@code (B)}, one floating dtype. Results are attached to the manager of {@code
 * scores.logits()}.
 *
 * <p><b>Normalisation.</b> The per-solution loss is the <b>sum</b> over its real steps. MEAN
 * therefore averages per-solution sums; the per-step mean of Math-Shepherd (every labelled step
 * counts once) is SUM divided by the number of real steps, which is what the trainer's step
 * objective reports (its normalisation units are steps).
 *
 * <p><b>Numerics.</b> Binary cross-entropy with logits as \( y\,\mathrm{softplus}(-z) +
 * (1-y)\,\mathrm{softplus}(z) \); padded steps are multiplied by 0 (never NaN).
 *
 * <p><b>References.</b> "Math-Shepherd: Verify and Reinforce LLMs Step-by-step without Human
 * Annotations", arXiv 2312.08935 (step labels, loss at the step tag); "What Are Step-Level Reward
 * Models Rewarding? Counterintuitive Findings from MCTS-boosted Mathematical Reasoning", arXiv
 * 2412.15904.
 */
public final class StepLosses {
    private StepLosses() {}

    /**
     * Per-step BCE (see {@link StepObjective.StepBce}).
     *
     * @param scores step logits, labels and mask, each {@code (B, S)}
     * @param weight optional {@code (B)} solution weights, or null
     * @param reduction reduction over solutions
     * @return loss and diagnostics, attached to the manager of {@code scores.logits()}
     */
    public static StepOutput stepBce(StepScores scores, NDArray weight, Reduction reduction) {
        String c = "prm";
        if (scores == null) {
            throw LossChecks.bad(c, "scores is missing", "null", "expected StepScores");
        }
        NDArray z = scores.logits();
        LossChecks.floating(c, "scores.logits", z, 2, "(B, S): one logit per step");
        Shape s = z.getShape();
        LossChecks.required(c, "scores.labels", scores.labels(), "of shape (B, S)");
        NDArray y =
                LossChecks.optional(
                                c,
                                "scores.labels",
                                scores.labels(),
                                "scores.logits",
                                s,
                                z.getDataType())
                        .stopGradient();
        LossChecks.required(c, "scores.stepMask", scores.stepMask(), "of shape (B, S)");
        NDArray m =
                LossChecks.optional(
                                c,
                                "scores.stepMask",
                                scores.stepMask(),
                                "scores.logits",
                                s,
                                z.getDataType())
                        .stopGradient();
        LossChecks.optional(
                c, "weight", weight, "scores.logits rows", new Shape(s.get(0)), z.getDataType());
        NDArray one = Numerics.scalar(z, 1);
        NDArray bce = Numerics.negLogSigmoid(z).mul(y).add(Numerics.softPlus(z).mul(one.sub(y)));
        NDArray perSolution = bce.mul(m).sum(new int[] {1});
        return new StepOutput(
                reduction.reduce(perSolution, weight),
                perSolution.stopGradient(),
                Numerics.sigmoid(z.stopGradient()).mul(m),
                m.sum(new int[] {1}));
    }
}
