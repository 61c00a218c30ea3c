package dev.reward4j.core.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.UserIndex;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Head layouts, per-user parameters, ensemble aggregation and the ensemble directory. */
class HeadsTest {
    static DecoderModel model(ModelHead head, long seed) {
        return DecoderModel.create(
                ModelConfig.of(Architecture.LLAMA, 24, 16, 1, 2, 2, 32),
                head,
                seed,
                ModelOptions.defaults());
    }

    /** Two pairs as 4 rows (chosen 0-1, rejected 2-3), each pair sharing a 3-token prompt. */
    static NDArray[] pairRows(NDManager m) {
        NDArray ids =
                m.create(
                        new long[] {1, 5, 6, 7, 2, 1, 9, 8, 10, 2, 1, 5, 6, 11, 2, 1, 9, 8, 12, 2},
                        new Shape(4, 5));
        NDArray mask = m.ones(new Shape(4, 5)).toType(ai.djl.ndarray.types.DataType.INT64, false);
        NDArray last = m.create(new long[] {4, 4, 4, 4});
        float[] resp = new float[20];
        for (int r = 0; r < 4; r++) {
            resp[r * 5 + 3] = 1;
            resp[r * 5 + 4] = 1;
        }
        return new NDArray[] {ids, mask, last, m.create(resp, new Shape(4, 5))};
    }

    @Nested
    class Layouts {
        @Test
        void thePromptEndIsTheLastTokenBeforeTheResponse() {
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                NDArray resp = m.create(new float[] {0, 0, 1, 1, 0, 0, 0, 1}, new Shape(2, 4));
                assertArrayEquals(new long[] {1, 2}, ReadPositions.promptEnd(resp).toLongArray());
            }
        }

        @Test
        void gateAndRouterLogitsDependOnThePromptOnly() {
            PreferenceEmbeddingHead gpm = new PreferenceEmbeddingHead(2, true);
            MixtureHead mix = new MixtureHead(3);
            assertEquals(6, gpm.columns());
            assertEquals(6, mix.columns());
            try (DecoderModel g = model(gpm.modelHead(), 1);
                    DecoderModel x = model(mix.modelHead(), 1);
                    NDManager m = g.manager().newSubManager()) {
                NDArray[] r = pairRows(m);
                PreferenceEmbeddingHead.Outputs o = gpm.read(g, r[0], r[1], r[2], r[3]);
                assertEquals(new Shape(4, 4), o.embeddings().getShape());
                assertEquals(new Shape(4, 2), o.gateLogits().getShape());
                // chosen row 0 and rejected row 2 share the prompt 1 5 6
                assertArrayEquals(
                        o.gateLogits().get("0").toFloatArray(),
                        o.gateLogits().get("2").toFloatArray(),
                        1e-6f);
                MixtureHead.Outputs mo = mix.read(x, r[0], r[1], r[2], r[3]);
                assertEquals(new Shape(4, 3), mo.rewards().getShape());
                assertArrayEquals(
                        mo.routerLogits().get("1").toFloatArray(),
                        mo.routerLogits().get("3").toFloatArray(),
                        1e-6f);
            }
        }

        @Test
        void aModelWithTheWrongNumberOfColumnsIsRejected() {
            try (DecoderModel g = model(ModelHead.REWARD, 1);
                    NDManager m = g.manager().newSubManager()) {
                NDArray[] r = pairRows(m);
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> new MixtureHead(2).read(g, r[0], r[1], r[2], r[3]));
                assertTrue(e.getMessage().contains("ModelHead.reward(4)"), e.getMessage());
            }
        }
    }

    @Nested
    class UserParameters {
        @Test
        void aUserTableGathersRowsAndSavesAndLoads(@TempDir Path dir) {
            UserIndex users = UserIndex.of(List.of("a", "b", "c"));
            try (NDManager parent = NDManager.newBaseManager("PyTorch");
                    UserTable t = UserTable.normal(parent, "routing", users, 2, 1.0, 5);
                    NDManager m = parent.newSubManager()) {
                float[] all = t.table().toFloatArray();
                float[] rows = t.rows(m.create(new long[] {2, 0})).toFloatArray();
                assertArrayEquals(new float[] {all[4], all[5], all[0], all[1]}, rows, 0f);
                t.save(dir);
                try (UserTable back = UserTable.load(dir, "routing", parent)) {
                    assertEquals(users, back.users());
                    assertArrayEquals(all, back.table().toFloatArray(), 0f);
                }
                try (UserTable again = UserTable.normal(parent, "routing", users, 2, 1.0, 5)) {
                    assertArrayEquals(all, again.table().toFloatArray(), 0f);
                }
            }
        }

        @Test
        void idealPointParametersSaveAndLoad(@TempDir Path dir) {
            UserIndex users = UserIndex.of(List.of("a", "b"));
            try (NDManager parent = NDManager.newBaseManager("PyTorch");
                    IdealPointParameters p = IdealPointParameters.create(parent, 3, 4, users, 7)) {
                assertEquals(3, p.prototypeCount());
                assertEquals(
                        List.of(IdealPointParameters.PROTOTYPES, IdealPointParameters.USER_LOGITS),
                        List.copyOf(p.parameters().keySet()));
                p.save(dir);
                assertTrue(Files.isRegularFile(dir.resolve("pal-prototypes.safetensors")));
                try (IdealPointParameters back = IdealPointParameters.load(dir, parent)) {
                    assertArrayEquals(
                            p.prototypes().toFloatArray(), back.prototypes().toFloatArray(), 0f);
                    assertArrayEquals(
                            p.users().table().toFloatArray(),
                            back.users().table().toFloatArray(),
                            0f);
                }
            }
        }
    }

    @Nested
    class Ensembles {
        @Test
        void aggregationsAndThePenalisedMeanNeverAboveTheMean() {
            double[] r = {1, 4, 2, 3};
            assertEquals(2.5, new EnsembleAggregation.Mean().apply(r), 0.0);
            assertEquals(2.5, new EnsembleAggregation.Median().apply(r), 0.0);
            assertEquals(1, new EnsembleAggregation.Min().apply(r), 0.0);
            // population std of {1, 2, 3, 4} = sqrt(1.25)
            assertEquals(
                    2.5 - 2 * Math.sqrt(1.25),
                    new EnsembleAggregation.MeanMinusStd(2).apply(r),
                    1e-12);
            java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
            for (int i = 0; i < 1000; i++) {
                double[] v = new double[1 + rng.nextInt(6)];
                for (int j = 0; j < v.length; j++) {
                    v[j] = rng.nextDouble() * 20 - 10;
                }
                assertTrue(
                        new EnsembleAggregation.MeanMinusStd(rng.nextDouble() * 3).apply(v)
                                <= new EnsembleAggregation.Mean().apply(v));
            }
            assertEquals(
                    new EnsembleAggregation.MeanMinusStd(0.5),
                    EnsembleAggregation.parse("mean-std(0.5)"));
            assertThrows(IllegalArgumentException.class, () -> EnsembleAggregation.parse("max"));
        }

        @Test
        void membersAndHeadsSaveAsOneDirectoryAndLoadWithIdenticalRewards(@TempDir Path dir)
                throws Exception {
            try (RewardEnsemble members =
                            RewardEnsemble.ofMembers(
                                    List.of(
                                            model(ModelHead.REWARD, 1),
                                            model(ModelHead.REWARD, 2)));
                    RewardEnsemble heads = RewardEnsemble.ofHeads(model(ModelHead.reward(3), 3));
                    NDManager m = NDManager.newBaseManager("PyTorch")) {
                NDArray[] r = pairRows(m);
                for (RewardEnsemble e : List.of(members, heads)) {
                    Path out = dir.resolve(e.sharedBackbone() ? "heads" : "members");
                    e.save(out, null);
                    float[] before = e.memberRewards(r[0], r[1]).toFloatArray();
                    try (RewardEnsemble back = RewardEnsemble.load(out, ModelOptions.defaults())) {
                        assertEquals(e.size(), back.size());
                        assertEquals(e.sharedBackbone(), back.sharedBackbone());
                        assertArrayEquals(
                                before, back.memberRewards(r[0], r[1]).toFloatArray(), 0f);
                    }
                }
                assertTrue(Files.isRegularFile(dir.resolve("members/member-1/config.json")));
                assertTrue(
                        Files.readString(dir.resolve("heads/model/config.json"))
                                .contains("\"num_labels\" : 3"));
            }
        }

        @Test
        void aDirectoryWithoutEnsembleFileIsAClearError(@TempDir Path dir) {
            Exception e =
                    assertThrows(
                            RuntimeException.class,
                            () -> RewardEnsemble.load(dir, ModelOptions.defaults()));
            assertTrue(e.getMessage().contains("ensemble.json"), e.getMessage());
        }
    }
}
