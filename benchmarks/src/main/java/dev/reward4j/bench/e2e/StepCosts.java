package dev.reward4j.bench.e2e;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RewardModelLosses;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.RewardPair;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.GradientNorm;
import dev.reward4j.trainers.optim.Gradients;
import java.util.Arrays;

/**
 * What the loss and the optimizer cost per step, measured apart from the model (median of {@code
 * reps}): the Bradley-Terry loss forward + backward on {@code 2B} rewards, and the optimizer part
 * of the loop (the gradient norm read back to the host, then the AdamW update) on the model's
 * parameters after training, whose gradient buffers exist.
 */
record StepCosts(double lossMs, double optimizerMs) {

    static StepCosts measure(DecoderModel model, AdamW optimizer, int pairs, int reps) {
        double[] loss = new double[reps];
        double[] opt = new double[reps];
        try (GradientNorm norm = GradientNorm.create(model.manager(), optimizer.isFused())) {
            for (int i = 0; i < reps + 1; i++) {
                try (NDManager m = model.manager().newSubManager()) {
                    NDArray rewards = m.randomNormal(new Shape(2L * pairs));
                    NDArray weight = m.ones(new Shape(pairs));
                    rewards.setRequiresGradient(true);
                    long t0 = System.nanoTime();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray l =
                                RewardModelLosses.bradleyTerry(
                                                RewardPair.of(
                                                        rewards.get("0:" + pairs),
                                                        rewards.get(pairs + ":")),
                                                RewardModelObjective.BradleyTerry.defaults(),
                                                weight,
                                                Reduction.SUM)
                                        .loss();
                        gc.backward(l);
                    }
                    rewards.getGradient().getFloat(0);
                    long t1 = System.nanoTime();
                    NDArray sq =
                            Gradients.withGradModeOff(
                                    () -> norm.sumOfSquares(optimizer.parameters(), 1.0, m));
                    if (sq != null) {
                        sq.getDouble();
                    }
                    optimizer.step(1e-12, 1.0);
                    long t2 = System.nanoTime();
                    if (i > 0) { // the first round warms up
                        loss[i - 1] = (t1 - t0) / 1e6;
                        opt[i - 1] = (t2 - t1) / 1e6;
                    }
                }
            }
        }
        return new StepCosts(median(loss), median(opt));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
