package dev.reward4j.core.model;

import dev.reward4j.core.util.Checks;

/**
 * The output head on top of the decoder.
 *
 * <ul>
 *   <li>{@link Reward}: a bias-free linear score head {@code score.weight (K, hidden)} read at the
 *       position the model's {@link RewardPooling} gives (by default HF {@code
 *       *ForSequenceClassification} semantics: the last token that is not the pad id). {@link
 *       #REWARD} is the scalar head K = 1.
 *   <li>{@link Lm}: the language-model head ({@code lm_head.weight}, or the token embedding when
 *       tied) giving per-token log-probabilities.
 * </ul>
 */
public sealed interface ModelHead permits ModelHead.Reward, ModelHead.Lm {

    /** Scalar reward head (K = 1). */
    ModelHead REWARD = new Reward(1);

    /** Language-model head. */
    ModelHead LM = new Lm();

    /** A reward head with {@code numLabels} outputs (multi-attribute reward models). */
    static ModelHead reward(int numLabels) {
        return new Reward(numLabels);
    }

    /** Number of output columns of the head for a model of the given vocabulary size. */
    int outputs(int vocabSize);

    /**
     * Score head with {@code numLabels} outputs.
     *
     * @param numLabels number of reward attributes K, at least 1
     */
    record Reward(int numLabels) implements ModelHead {
        public Reward {
            Checks.argument(
                    numLabels >= 1,
                    () -> "ModelHead.Reward: numLabels must be >= 1 (" + numLabels + ")");
        }

        @Override
        public int outputs(int vocabSize) {
            return numLabels;
        }
    }

    /** Language-model head over the vocabulary. */
    record Lm() implements ModelHead {
        @Override
        public int outputs(int vocabSize) {
            return vocabSize;
        }
    }
}
