package dev.reward4j.trainers.eval;

import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.model.RewardPooling;
import dev.reward4j.core.util.Checks;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a trained reward model for scoring exactly as training left it: the score head from its
 * {@code config.json} ({@code num_labels} outputs, so a multi-attribute regression model needs no
 * hand-built {@link ModelHead}), the pooling its config records ({@code reward4j_pooling}, written
 * when reward4j saved it, else transformers' rule) and the pad id fixed with the tokenizer it is
 * scored with ({@link DecoderModel#load(Path, ModelHead, ModelOptions, Path)}). {@code reward4j
 * eval}, {@code reward4j score} and {@code dev.reward4j.trainers.RewardScorer} load through here.
 */
public final class RewardModels {
    private RewardModels() {}

    /**
     * The reward model in {@code modelDir}.
     *
     * @param modelDir Hugging Face model directory
     * @param tokenizerDir the tokenizer the texts are encoded with (usually {@code modelDir})
     * @param options device, dtype and attention; the pooling is replaced by the recorded one
     */
    public static DecoderModel load(Path modelDir, Path tokenizerDir, ModelOptions options) {
        ModelConfig config = ModelConfig.load(modelDir);
        return DecoderModel.load(
                modelDir, head(config), withRecordedPooling(config, options), tokenizerDir);
    }

    /**
     * The ensemble in {@code dir} ({@link RewardEnsemble#load}: each checkpoint with its recorded
     * pooling and the pad id of its own tokenizer), after checking that the members share one
     * tokenizer (their texts are encoded once).
     *
     * @param dir an ensemble directory
     * @param options device, dtype and attention
     * @return the ensemble (close it)
     * @throws IllegalArgumentException when members have different {@code tokenizer.json} files
     */
    public static RewardEnsemble loadEnsemble(Path dir, ModelOptions options) {
        requireOneTokenizer(RewardEnsemble.checkpoints(dir));
        return RewardEnsemble.load(dir, options);
    }

    /**
     * Checks that every checkpoint has the same {@code tokenizer.json} as the first.
     *
     * @param checkpoints the checkpoint directories, at least one
     * @throws IllegalArgumentException naming the first that differs or has none
     */
    public static void requireOneTokenizer(List<Path> checkpoints) {
        Path first = checkpoints.get(0);
        for (Path other : checkpoints.subList(1, checkpoints.size())) {
            long mismatch;
            try {
                mismatch =
                        java.nio.file.Files.mismatch(
                                first.resolve("tokenizer.json"), other.resolve("tokenizer.json"));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(
                        "ensemble: cannot compare the tokenizers of "
                                + first
                                + " and "
                                + other
                                + " ("
                                + e.getMessage()
                                + "); expected a tokenizer.json in every member",
                        e);
            }
            Checks.argument(
                    mismatch == -1,
                    () ->
                            "ensemble: "
                                    + other
                                    + " has another tokenizer.json than "
                                    + first
                                    + "; expected members trained with one tokenizer");
        }
    }

    /** The score head a checkpoint was saved with: {@code ModelHead.reward(num_labels)}. */
    public static ModelHead head(ModelConfig config) {
        return ModelHead.reward(config.numLabels());
    }

    /**
     * {@code options} with the pooling {@code config} records ({@code reward4j_pooling}), else
     * transformers' rule ({@link RewardPooling#HF}).
     */
    public static ModelOptions withRecordedPooling(ModelConfig config, ModelOptions options) {
        return options.withPooling(RewardPooling.recordedIn(config).orElse(RewardPooling.HF));
    }

    /** A run-record fact of a reward model's pooling, e.g. {@code hf (pad id 2)}. */
    public static String poolingFact(DecoderModel model) {
        return model.pooling().key()
                + (model.poolingPadId() >= 0
                        ? " (pad id " + model.poolingPadId() + ")"
                        : " (no pad id: last attended token)");
    }
}
