package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.eval.PaddedSequences;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.optim.Gradients;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link SequenceScorer} over a reward model through the scoring loop of {@code score} and {@code
 * RewardScorer} ({@link PaddedSequences#scores}): right padding with the training pad id, attention
 * mask 1 on real tokens, every output of the score head read at the position the model's pooling
 * gives. Runs with grad mode off, in a sub-manager per batch. Thread-safe: concurrent calls share
 * the model's parameters read-only (one model per JVM serves every task thread of a cluster
 * executor).
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
     * Loads the reward model in {@code modelDir} as {@code reward4j score} and {@code RewardScorer}
     * load it ({@link RewardModels#load}): the score head of its {@code config.json} ({@code
     * num_labels} outputs) and the pooling it records, with the pad id of {@code tokenizerDir}.
     *
     * @param options device, dtype and attention; the pooling is taken from the checkpoint
     */
    public static DecoderModel loadRewardModel(
            Path modelDir, Path tokenizerDir, ModelOptions options) {
        return RewardModels.load(modelDir, tokenizerDir, options);
    }

    @Override
    public double[][] score(List<TokenizedSequence> batch) {
        if (batch.isEmpty()) {
            return new double[0][];
        }
        return Gradients.withGradModeOff(
                () -> PaddedSequences.scores(batch, padId, model::scores, model.manager()));
    }
}
