package dev.reward4j.trainers.app.launcher;

import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.run.ModelFit;
import java.nio.file.Path;

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
}
