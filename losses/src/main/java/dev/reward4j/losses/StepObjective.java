package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * A process-reward (step-level) objective. One validated record per variant; each record's {@link
 * #apply} calls its own function in {@link StepLosses}.
 */
public sealed interface StepObjective permits StepObjective.StepBce {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "prm"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param scores step logits, labels and mask, each {@code (B, S)}
     * @param weight optional {@code (B)} non-negative solution weights, or null
     * @param reduction how to combine the per-solution losses
     * @return loss and diagnostics, attached to the manager of {@code scores.logits()}
     */
    StepOutput apply(StepScores scores, NDArray weight, Reduction reduction);

    /**
     * Per-step binary cross-entropy at the step separators (Math-Shepherd): \( \ell_b = \sum_s
     * m_{bs}\,[y_{bs}\,\mathrm{softplus}(-z_{bs}) + (1 - y_{bs})\,\mathrm{softplus}(z_{bs})] \). No
     * hyperparameters.
     */
    record StepBce() implements StepObjective {
        @Override
        public String name() {
            return "prm";
        }

        @Override
        public StepOutput apply(StepScores scores, NDArray weight, Reduction reduction) {
            return StepLosses.stepBce(scores, weight, reduction);
        }
    }
}
