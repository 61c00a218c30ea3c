package dev.reward4j.trainers.corpus;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.model.RewardPooling;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.optim.Gradients;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link SequenceScorer} over a reward model, padded as training pads: right padding with the
 * training pad id, attention mask 1 on real tokens, every output of the score head read at the
 * position the model's pooling gives. Runs with grad mode off, in a sub-manager per batch.
 * Thread-safe: concurrent calls share the model's parameters read-only (one model per JVM serves
 * every task thread of a cluster executor).
 */
public final class ModelSequenceScorer implements SequenceScorer {
    private final DecoderModel model;
    private final int padId;

    /**
     * A scorer over {@code model}.
     *
     * @param model a reward-head model
     * @param padId the training pad id ({@code encoder.padding(PaddingSide.RIGHT).padId()})
     */
    public ModelSequenceScorer(DecoderModel model, int padId) {
        Checks.argument(
                model.head() instanceof ModelHead.Reward,
                () -> "corpus scorer: model head " + model.head() + "; expected a reward head");
        this.model = model;
        this.padId = padId;
    }

    /**
     * Loads the reward model in {@code modelDir} as {@code reward4j eval} and {@code score} load
     * it: the score head of its {@code config.json} ({@code num_labels} outputs) and the pooling it
     * records (else transformers' rule), with the pad id of {@code tokenizerDir}.
     *
     * @param options device, dtype and attention; the pooling is taken from the checkpoint
     */
    public static DecoderModel loadRewardModel(
            Path modelDir, Path tokenizerDir, ModelOptions options) {
        ModelConfig config = ModelConfig.load(modelDir);
        return DecoderModel.load(
                modelDir,
                new ModelHead.Reward(config.numLabels()),
                options.withPooling(RewardPooling.recordedIn(config).orElse(RewardPooling.HF)),
                tokenizerDir);
    }

    @Override
    public double[][] score(List<TokenizedSequence> batch) {
        if (batch.isEmpty()) {
            return new double[0][];
        }
        int rows = batch.size();
        int width = 1;
        for (TokenizedSequence s : batch) {
            width = Math.max(width, s.length());
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        java.util.Arrays.fill(ids, padId);
        for (int r = 0; r < rows; r++) {
            int[] s = batch.get(r).ids();
            for (int t = 0; t < s.length; t++) {
                ids[r * width + t] = s[t];
                mask[r * width + t] = 1;
            }
        }
        int w = width;
        return Gradients.withGradModeOff(
                () -> {
                    try (NDManager step = model.manager().newSubManager()) {
                        Shape shape = new Shape(rows, w);
                        NDArray out =
                                model.scores(step.create(ids, shape), step.create(mask, shape));
                        int k = out.getShape().dimension() == 2 ? (int) out.getShape().get(1) : 1;
                        float[] v = out.toType(DataType.FLOAT32, false).toFloatArray();
                        double[][] res = new double[rows][k];
                        for (int r = 0; r < rows; r++) {
                            for (int j = 0; j < k; j++) {
                                res[r][j] = v[r * k + j];
                            }
                        }
                        return res;
                    }
                });
    }
}
