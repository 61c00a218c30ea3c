package dev.reward4j.trainers.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.RewardPair;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;

/**
 * Reward model on preference pairs with any Bradley-Terry variant. One forward over the {@code 2B} stacked rows gives
 * the rewards; the data's {@code margin} column feeds the variant's auxiliary (BT margin, scaled-BT strength, soft-BT
 * target probability, Rao-Kupper tie flag). Loss: weighted sum over pairs; units: the sum of pair weights.
 */
public final class RewardPairsObjective implements dev.reward4j.trainers.loop.Objective<PairBatch> {
  private final DecoderModel model;
  private final RewardModelObjective loss;

  /** Creates the objective for a reward-head {@code model}. */
  public RewardPairsObjective(DecoderModel model, RewardModelObjective loss) {
    this.model = model;
    this.loss = loss;
  }

  @Override
  public StepResult compute(PairBatch batch, StepContext ctx) {
    PairwiseOutput out = output(batch);
    MetricBag bag = new MetricBag();
    double[] c = Host.doubles(out.chosenReward());
    double[] r = Host.doubles(out.rejectedReward());
    if (Host.finite(c) && Host.finite(r)) {
      PairwiseMetrics.addTo(bag, c, r);
    }
    return new StepResult(out.loss(), Host.sum(batch.weight()), bag, batch.ids(), batch.realTokens());
  }

  /**
   * The rewards of a pair batch's {@code 2B} rows (chosen rows, then rejected rows): score column 0 of one forward,
   * read at each row's last attended position. The training loss, its held-out evaluation and {@code reward4j eval}
   * all score pairs with this. Attached to the batch's manager.
   */
  public static NDArray rewards(DecoderModel model, PairBatch batch) {
    return model.scores(batch.inputIds(), batch.attentionMask()).get(":, 0");
  }

  /**
   * The loss output of one batch: rewards from one forward over the {@code 2B} rows, the variant's auxiliary from the
   * margin column, weighted sum over pairs. Arrays are attached to the batch's manager.
   */
  public PairwiseOutput output(PairBatch batch) {
    NDArray rewards = rewards(model, batch); // (2B)
    NDList halves = FrozenReference.halves(rewards);
    RewardPair pair = RewardPair.of(halves.get(0), halves.get(1));
    NDArray aux = batch.margin();
    if (loss instanceof RewardModelObjective.SoftLabelBt) {
      Checks.argument(aux != null, "soft-bt: the batch has no margin column (null); expected target probabilities in 'margin'");
      pair = pair.withProbability(aux);
    } else if (loss instanceof RewardModelObjective.RaoKupper) {
      Checks.argument(aux != null, "rao-kupper: the batch has no margin column (null); expected 0/1 tie flags in 'margin'");
      pair = pair.withTie(aux);
    } else if (aux != null) {
      pair = pair.withMargin(aux);
    }
    return loss.apply(pair, batch.weight(), Reduction.SUM);
  }
}
