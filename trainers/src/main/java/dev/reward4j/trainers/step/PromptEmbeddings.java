package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.UnpairedBatch;
import dev.reward4j.core.data.UnpairedCollator;
import dev.reward4j.losses.DensityRatioClassifier;
import dev.reward4j.losses.UnpairedObjective;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.reference.FrozenReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Prompt embeddings for BCO's underlying-distribution matching (UDM): TRL takes them from a
 * user-supplied {@code embedding_func}; on the JVM they are the <b>frozen reference model's last
 * hidden states, mean-pooled over the prompt tokens</b> (attended, non-response positions) of each
 * example, computed with grad mode off. The reference is the initial policy, so the classifier sees
 * the same representation throughout training and a resumed run refits the same classifier from the
 * same seeded sample.
 */
public final class PromptEmbeddings {
    private PromptEmbeddings() {}

    /**
     * Mean-pooled prompt embeddings of a batch, one row per example.
     *
     * @param reference the frozen reference model
     * @param batch the unpaired batch
     * @return {@code (B)} rows of length H
     */
    public static double[][] of(FrozenReference reference, UnpairedBatch batch) {
        NDArray prompt =
                batch.attentionMask()
                        .toType(batch.responseMask().getDataType(), false)
                        .mul(batch.responseMask().neg().add(1f));
        NDArray pooled =
                Gradients.withGradModeOff(
                        () ->
                                reference
                                        .model()
                                        .meanHidden(batch.inputIds(), batch.attentionMask(), prompt)
                                        .stopGradient());
        long n = pooled.getShape().get(0);
        int h = (int) pooled.getShape().get(1);
        double[] flat = pooled.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        double[][] rows = new double[(int) n][h];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * h, rows[i], 0, h);
        }
        return rows;
    }

    /**
     * Fits BCO's UDM classifier as TRL does before training: up to {@code
     * objective.promptSampleSize()} desirable and as many undesirable examples, drawn with {@code
     * seed}, embedded by {@link #of} in chunks of 16.
     *
     * @param reference the frozen reference model
     * @param examples the training examples
     * @param collator collates a chunk into a batch
     * @param objective BCO with its sample size
     * @param seed seed of the sample
     * @param manager a manager for the temporary batches (closed per chunk)
     * @return the fitted classifier
     */
    public static DensityRatioClassifier fitDensityRatio(
            FrozenReference reference,
            List<TokenizedUnpaired> examples,
            UnpairedCollator collator,
            UnpairedObjective.Bco objective,
            long seed,
            NDManager manager) {
        List<TokenizedUnpaired> desirable = new ArrayList<>();
        List<TokenizedUnpaired> undesirable = new ArrayList<>();
        for (TokenizedUnpaired e : examples) {
            (e.desirable() ? desirable : undesirable).add(e);
        }
        Random r = new Random(seed);
        Collections.shuffle(desirable, r);
        Collections.shuffle(undesirable, r);
        List<TokenizedUnpaired> sample = new ArrayList<>();
        sample.addAll(
                desirable.subList(0, Math.min(objective.promptSampleSize(), desirable.size())));
        sample.addAll(
                undesirable.subList(0, Math.min(objective.promptSampleSize(), undesirable.size())));
        double[][] x = new double[sample.size()][];
        boolean[] y = new boolean[sample.size()];
        for (int start = 0; start < sample.size(); start += 16) {
            List<TokenizedUnpaired> chunk =
                    sample.subList(start, Math.min(sample.size(), start + 16));
            try (NDManager m = manager.newSubManager();
                    UnpairedBatch batch = collator.collate(chunk, m)) {
                double[][] e = of(reference, batch);
                for (int i = 0; i < chunk.size(); i++) {
                    x[start + i] = e[i];
                    y[start + i] = chunk.get(i).desirable();
                }
            }
        }
        return DensityRatioClassifier.fit(x, y);
    }
}
