package dev.reward4j.trainers.gpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.heads.PreferenceEmbeddingHead;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a GPM's scores mean: consistent pairwise probabilities and the k = 1 projection. */
class GeneralPreferenceScorerTest {
    static PairBatch batch(NDManager m, boolean swapped) {
        long[] a = {1, 5, 6, 7, 2};
        long[] b = {1, 5, 6, 9, 2};
        long[] ids = new long[10];
        System.arraycopy(swapped ? b : a, 0, ids, 0, 5);
        System.arraycopy(swapped ? a : b, 0, ids, 5, 5);
        NDArray resp = m.create(new float[] {0, 0, 0, 1, 1, 0, 0, 0, 1, 1}, new Shape(2, 5));
        return new PairBatch(
                m.create(ids, new Shape(2, 5)),
                m.ones(new Shape(2, 5)).toType(ai.djl.ndarray.types.DataType.INT64, false),
                m.create(new long[] {4, 4}),
                resp,
                null,
                m.ones(new Shape(1)),
                List.of("p"),
                10);
    }

    static DecoderModel model(PreferenceEmbeddingHead head) {
        return DecoderModel.create(
                ModelConfig.of(Architecture.LLAMA, 24, 16, 1, 2, 2, 32),
                head.modelHead(),
                4,
                ModelOptions.defaults());
    }

    @Test
    void probabilitiesOfBothOrdersSumToOneAndTheProjectionIsTheScoreAgainstTheReference() {
        PreferenceEmbeddingHead head = new PreferenceEmbeddingHead(1, false);
        try (DecoderModel model = model(head);
                NDManager m = model.manager().newSubManager();
                PairBatch ab = batch(m, false);
                PairBatch ba = batch(m, true)) {
            GeneralPreferenceScorer s = new GeneralPreferenceScorer(model, head, 0.5);
            double pab = s.preferenceProbability(ab)[0];
            double pba = s.preferenceProbability(ba)[0];
            assertEquals(1.0, pab + pba, 1e-6);
            double[][] v = s.embeddings(ab);
            assertEquals(1.0, Math.hypot(v[0][0], v[0][1]), 1e-6);
            double[] r = s.scalarProjection(ab, new double[] {0, 2});
            // u = (0, 1): r(y) = v0 * 1 - v1 * 0
            assertEquals(v[0][0], r[0], 1e-6);
            assertEquals(v[1][0], r[1], 1e-6);
        }
    }

    @Test
    void theScalarProjectionNeedsTwoDimensionalUngatedEmbeddings() {
        PreferenceEmbeddingHead head = new PreferenceEmbeddingHead(2, true);
        try (DecoderModel model = model(head);
                NDManager m = model.manager().newSubManager();
                PairBatch ab = batch(m, false)) {
            GeneralPreferenceScorer s = new GeneralPreferenceScorer(model, head, 0.5);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> s.scalarProjection(ab, new double[] {1, 0}));
        }
    }
}
