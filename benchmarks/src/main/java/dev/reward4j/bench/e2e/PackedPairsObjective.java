package dev.reward4j.bench.e2e;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PackedBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.RewardPair;
import dev.reward4j.trainers.loop.Objective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.metrics.MetricBag;

/**
 * Bradley-Terry reward-model objective on packed pairs for the throughput harness: {@code scoresPacked} gives the 2B
 * sequence scores in PairBatch order (chosen first), then L's loss. Metrics are left out (the harness measures speed).
 * The trainers module has no packed objective yet; when it gains one this class should be replaced by it.
 */
final class PackedPairsObjective implements Objective<PackedBatch> {
  private final DecoderModel model;
  private final RewardModelObjective loss;

  PackedPairsObjective(DecoderModel model, RewardModelObjective loss) {
    this.model = model;
    this.loss = loss;
  }

  @Override
  public StepResult compute(PackedBatch batch, StepContext ctx) {
    NDArray rewards = model.scoresPacked(batch.inputIds(), batch.positionIds(), batch.segmentIds(), batch.seqRow(),
        batch.seqLast()).get(":, 0"); // (2B) in sequence order
    int b = batch.ids().size();
    RewardPair pair = RewardPair.of(rewards.get("0:" + b), rewards.get(b + ":"));
    PairwiseOutput out = loss.apply(pair, batch.weight(), Reduction.SUM);
    return new StepResult(out.loss(), b, new MetricBag(), batch.ids(), batch.realTokens());
  }
}
