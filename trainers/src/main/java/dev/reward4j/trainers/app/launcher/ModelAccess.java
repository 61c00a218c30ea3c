package dev.reward4j.trainers.app.launcher;

import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.run.ModelFit;
import java.nio.file.Path;
import java.util.List;

/**
 * The model options shared by {@code eval} and {@code score}: the model directory ({@code
 * --model}), its tokenizer ({@code --tokenizer}, default the model directory), an optional
 * reference ({@code --reference}) and the device.
 *
 * @param model the model directory
 * @param tokenizer the tokenizer directory, or null for the model directory
 * @param reference the reference model directory, or null
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
 */
record ModelAccess(Path model, Path tokenizer, Path reference, String device) {
    /**
     * The model's {@code config.json}; a missing or bad one is a user error naming {@code --model}.
     */
    ModelConfig config() {
        return config(checkpoint(), "--model");
    }

    /**
     * The model's checkpoint directory: {@code --model}, or for an ensemble directory ({@code
     * ensemble.json}) its first member's.
     */
    Path checkpoint() {
        if (!RewardEnsemble.isEnsemble(model)) {
            return model;
        }
        try {
            return RewardEnsemble.checkpoints(model).get(0);
        } catch (RuntimeException e) {
            throw new ConfigException("--model: " + e.getMessage(), e);
        }
    }

    private static ModelConfig config(Path dir, String option) {
        try {
            return ModelConfig.load(dir);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option + ": " + e.getMessage(), e);
        }
    }

    /** Model options on the device, float32. */
    ModelOptions options() {
        return ModelOptions.defaults().withDevice(DeviceSpec.resolve(device));
    }

    /**
     * The tokenizer directory: {@code --tokenizer}, else the model's checkpoint ({@link
     * #checkpoint()}).
     */
    Path tokenizerDir() {
        return tokenizer != null ? tokenizer : checkpoint();
    }

    /**
     * The sequence length: {@code given} when set (at most the model's positions, else a user error
     * naming {@code option}), else {@code fallback} capped at the positions of the model (and of
     * the reference).
     */
    int maxLength(Integer given, int fallback, String option) {
        ModelConfig c = config();
        int positions = c.maxPositions();
        if (reference != null) {
            positions = Math.min(positions, config(reference, "--reference").maxPositions());
        }
        if (given != null) {
            if (given < 2) {
                throw new ConfigException(
                        option + ": expected an integer >= 2 (got " + given + ")");
            }
            ModelFit.checkMaxLength(option, given, c, checkpoint());
            if (reference != null) {
                ModelFit.checkMaxLength(option, given, config(reference, "--reference"), reference);
            }
            return given;
        }
        return Math.min(fallback, positions);
    }

    /**
     * The TRL pairs of {@code file} (JSONL, gzip or Parquet), read and tokenized as training reads
     * them with the default {@code data:} truncation at the model's length ({@link #maxLength}),
     * and checked against the model's vocabulary and positions.
     *
     * @param file the pairs
     * @param encoder the tokenizer of {@link #tokenizerDir()}
     * @return the kept pairs, in file order
     */
    List<TokenizedPair> pairs(Path file, TextEncoder encoder) {
        DataSection data = DataSection.defaults();
        List<TokenizedPair> pairs =
                DataPipeline.pairs(
                                file,
                                TrlFormat.standard(),
                                encoder,
                                data.withTruncation(
                                                maxLength(null, data.maxLength(), "--max-length"),
                                                data.truncation())
                                        .truncationPolicy(),
                                ReadOptions.defaults())
                        .examples();
        ModelFit.check(pairs, config(), checkpoint());
        return pairs;
    }
}
