package dev.reward4j.trainers.arm;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.losses.AutoregressiveRewardObjective;
import dev.reward4j.losses.PairLogps;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;

/**
 * An autoregressive reward model on preference pairs: one forward of the reward LM over the {@code
 * 2B} rows gives the summed response-token log-probs \( \log\pi_r(y|x) \), and the loss is {@link
 * AutoregressiveRewardObjective} (GenARM's BT on \( \beta_r \log\pi_r \)) summed with the pair
 * weights. Units: the sum of pair weights; metrics: the reward metrics of \( \beta_r \log\pi_r(y|x)
 * \) (accuracy, chosen, rejected, margin).
 */
public final class AutoregressiveRewardPairsStep implements TrainingStep<PairBatch> {
    private final DecoderModel model;
    private final AutoregressiveRewardObjective loss;

    /**
     * Creates the objective.
     *
     * @param model the reward LM (LM head)
     * @param loss the loss and its \( \beta_r \)
     */
    public AutoregressiveRewardPairsStep(DecoderModel model, AutoregressiveRewardObjective loss) {
        this.model = model;
        this.loss = loss;
    }

    /**
     * Summed response-token log-probs {@code (2B)} of the reward LM (chosen rows, then rejected
     * rows).
     *
     * @param model the reward LM
     * @param batch the pairs
     * @return the sums, attached to the batch's manager
     */
    public static NDArray sequenceLogps(DecoderModel model, PairBatch batch) {
        return SequenceLogps.of(
                        model.tokenLogps(batch.inputIds(), batch.attentionMask()),
                        batch.responseMask())
                .sum();
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        NDArray logps = sequenceLogps(model, batch);
        long b = batch.pairs();
        PairwiseOutput out =
                loss.apply(
                        PairLogps.referenceFree(logps.get("0:" + b), logps.get(b + ":")),
                        batch.weight(),
                        Reduction.SUM);
        MetricBag bag =
                PairwiseMetrics.addTo(
                        new MetricBag(),
                        HostArrays.of(out.chosenReward()),
                        HostArrays.of(out.rejectedReward()));
        return new StepResult(
                out.loss(), batch.weight().sum().getFloat(), bag, batch.ids(), batch.realTokens());
    }
}
