package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.losses.AutoregressiveRewardObjective.GenArm;
import dev.reward4j.losses.IdealPointObjective.PalA;
import dev.reward4j.losses.MixtureObjective.MixtureBt;
import dev.reward4j.losses.MixtureObjective.ResponsibilityBt;
import dev.reward4j.losses.PreferenceEmbeddingObjective.GeneralPreference;
import dev.reward4j.losses.RewardModelObjective.BradleyTerry;
import dev.reward4j.losses.StepObjective.StepBce;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Closed forms, identities and validation of the research objectives. */
@ExtendWith(NDManagerExtension.class)
class ResearchLossesTest {
    NDManager m;

    @BeforeEach
    void open(NDManager manager) {
        m = manager;
    }

    NDArray normal(long seed, int n, long... shape) {
        return m.create(LossCase.normal(new Random(seed), n, 1.5), new Shape(shape));
    }

    double[] perExample(PreferenceOutput o) {
        return o.perExample().toDoubleArray();
    }

    @Nested
    class GeneralPreferenceModel {
        @Test
        void rockPaperScissorsEmbeddingsGiveACyclicPreference() {
            // unit vectors at 0, 120, 240 degrees: s(a, b) = sin(theta_b - theta_a) = sin(120)
            // > 0 for (rock, paper), (paper, scissors) and (scissors, rock) alike
            double[][] v = new double[3][];
            for (int i = 0; i < 3; i++) {
                double t = 2 * Math.PI * i / 3;
                v[i] = new double[] {Math.cos(t), Math.sin(t)};
            }
            NDArray a = m.create(new double[][] {v[0], v[1], v[2]});
            NDArray b = m.create(new double[][] {v[1], v[2], v[0]});
            double[] s =
                    PreferenceEmbeddingLosses.preferenceScore(EmbeddingPair.of(a, b))
                            .toDoubleArray();
            for (double x : s) {
                assertEquals(Math.sin(2 * Math.PI / 3), x, 1e-12);
            }
            PreferenceOutput out =
                    GeneralPreference.defaults()
                            .apply(EmbeddingPair.of(a, b), null, Reduction.MEAN);
            assertArrayEquals(new double[] {1, 1, 1}, out.accuracy().toDoubleArray(), 0.0);
        }

        @Test
        void theScoreIsSkewSymmetricAndScaleInvariant() {
            NDArray a = normal(1, 6 * 4, 6, 4);
            NDArray b = normal(2, 6 * 4, 6, 4);
            NDArray g = normal(3, 6 * 2, 6, 2);
            double[] ab =
                    PreferenceEmbeddingLosses.preferenceScore(new EmbeddingPair(a, b, g))
                            .toDoubleArray();
            double[] ba =
                    PreferenceEmbeddingLosses.preferenceScore(new EmbeddingPair(b, a, g))
                            .toDoubleArray();
            double[] scaled =
                    PreferenceEmbeddingLosses.preferenceScore(
                                    new EmbeddingPair(a.mul(m.create(7.0)), b, g))
                            .toDoubleArray();
            double[] aa =
                    PreferenceEmbeddingLosses.preferenceScore(new EmbeddingPair(a, a, g))
                            .toDoubleArray();
            for (int i = 0; i < ab.length; i++) {
                assertEquals(-ab[i], ba[i], 1e-12);
                assertEquals(ab[i], scaled[i], 1e-12);
                assertEquals(0.0, aa[i], 1e-12);
            }
        }

        @Test
        void equalGateLogitsEqualTheUngatedScore() {
            // k softmax(c, ..., c) = 1 for every block
            NDArray a = normal(4, 6 * 6, 6, 6);
            NDArray b = normal(5, 6 * 6, 6, 6);
            double[] gated =
                    PreferenceEmbeddingLosses.preferenceScore(
                                    new EmbeddingPair(
                                            a,
                                            b,
                                            m.full(new Shape(6, 3), 2.5f)
                                                    .toType(a.getDataType(), false)))
                            .toDoubleArray();
            double[] plain =
                    PreferenceEmbeddingLosses.preferenceScore(EmbeddingPair.of(a, b))
                            .toDoubleArray();
            assertArrayEquals(plain, gated, 1e-12);
        }

        @Test
        void aResponseComparedWithItselfCostsLogTwo() {
            NDArray a = normal(6, 4 * 2, 4, 2);
            PreferenceOutput out =
                    new GeneralPreference(0.3).apply(EmbeddingPair.of(a, a), null, Reduction.MEAN);
            assertEquals(Math.log(2), out.loss().getDouble(), 1e-12);
        }

        @Test
        void anOddEmbeddingWidthIsRejected() {
            NDArray a = normal(7, 4 * 3, 4, 3);
            Expect.badArgument(
                    () ->
                            GeneralPreference.defaults()
                                    .apply(EmbeddingPair.of(a, a), null, Reduction.MEAN),
                    "gpm",
                    "odd",
                    "(4, 3)",
                    "(B, 2k)");
        }
    }

    @Nested
    class Mixtures {
        @Test
        void oneHeadIsBradleyTerry() {
            NDArray c = normal(8, 6, 6, 1);
            NDArray r = normal(9, 6, 6, 1);
            double[] mix =
                    perExample(
                            new MixtureBt()
                                    .apply(
                                            HeadPair.of(c, r).withRouterLogits(normal(10, 6, 6, 1)),
                                            null,
                                            Reduction.NONE));
            double[] bt =
                    BradleyTerry.defaults()
                            .apply(RewardPair.of(c.squeeze(1), r.squeeze(1)), null, Reduction.NONE)
                            .perExample()
                            .toDoubleArray();
            assertArrayEquals(bt, mix, 1e-12);
        }

        @Test
        void identicalHeadsWithAnyRouterAreBradleyTerry() {
            NDArray c1 = normal(11, 6, 6, 1);
            NDArray r1 = normal(12, 6, 6, 1);
            NDArray c = c1.concat(c1, 1).concat(c1, 1);
            NDArray r = r1.concat(r1, 1).concat(r1, 1);
            double[] mix =
                    perExample(
                            new MixtureBt()
                                    .apply(
                                            HeadPair.of(c, r)
                                                    .withRouterLogits(normal(13, 18, 6, 3)),
                                            null,
                                            Reduction.NONE));
            double[] bt =
                    BradleyTerry.defaults()
                            .apply(
                                    RewardPair.of(c1.squeeze(1), r1.squeeze(1)),
                                    null,
                                    Reduction.NONE)
                            .perExample()
                            .toDoubleArray();
            assertArrayEquals(bt, mix, 1e-12);
        }

        @Test
        void noRouterIsTheUniformRouterAndProbabilityIsExpOfMinusLoss() {
            NDArray c = normal(14, 18, 6, 3);
            NDArray r = normal(15, 18, 6, 3);
            PreferenceOutput none = new MixtureBt().apply(HeadPair.of(c, r), null, Reduction.NONE);
            PreferenceOutput zero =
                    new MixtureBt()
                            .apply(
                                    HeadPair.of(c, r)
                                            .withRouterLogits(
                                                    m.zeros(new Shape(6, 3), c.getDataType())),
                                    null,
                                    Reduction.NONE);
            assertArrayEquals(perExample(zero), perExample(none), 1e-12);
            double[] p = none.probability().toDoubleArray();
            double[] l = perExample(none);
            for (int i = 0; i < p.length; i++) {
                assertEquals(Math.exp(-l[i]), p[i], 1e-12);
            }
        }

        @Test
        void oneHotResponsibilitiesTrainOneHeadWithBradleyTerry() {
            NDArray c = normal(16, 12, 6, 2);
            NDArray r = normal(17, 12, 6, 2);
            double[] oneHot = new double[12];
            for (int i = 0; i < 6; i++) {
                oneHot[2 * i + 1] = 1; // head 1
            }
            double[] resp =
                    perExample(
                            new ResponsibilityBt()
                                    .apply(
                                            HeadPair.of(c, r)
                                                    .withResponsibilities(
                                                            m.create(oneHot, new Shape(6, 2))),
                                            null,
                                            Reduction.NONE));
            double[] bt =
                    BradleyTerry.defaults()
                            .apply(
                                    RewardPair.of(c.get(":, 1"), r.get(":, 1")),
                                    null,
                                    Reduction.NONE)
                            .perExample()
                            .toDoubleArray();
            assertArrayEquals(bt, resp, 1e-12);
        }

        @Test
        void responsibilitiesAreRequired() {
            NDArray c = normal(18, 12, 6, 2);
            Expect.badArgument(
                    () -> new ResponsibilityBt().apply(HeadPair.of(c, c), null, Reduction.MEAN),
                    "responsibility-bt",
                    "responsibilities",
                    "null");
        }
    }

    @Nested
    class IdealPoints {
        @Test
        void oneUserPrefersTheResponseNearerItsIdealPoint() {
            // one prototype at (1, 0): the ideal point is (1, 0) whatever the logits;
            // |(3,0)-(1,0)|^2 - |(1.5,0)-(1,0)|^2 = 4 - 0.25 = 3.75, loss = softplus(-3.75 / 0.5)
            NDArray fc = m.create(new double[][] {{1.5, 0}});
            NDArray fr = m.create(new double[][] {{3, 0}});
            NDArray p = m.create(new double[][] {{1, 0}});
            NDArray u = m.create(new double[][] {{0.3}});
            PreferenceOutput out =
                    new PalA(0.5).apply(new IdealPointPair(fc, fr, p, u), null, Reduction.MEAN);
            assertEquals(Math.log1p(Math.exp(-7.5)), out.loss().getDouble(), 1e-12);
        }

        @Test
        void usersOnOppositeCornersOfTheSimplexPreferOppositeResponses() {
            // prototypes (1, 0) and (-1, 0); users with all weight on one of them
            NDArray fc = m.create(new double[][] {{1, 0}, {1, 0}});
            NDArray fr = m.create(new double[][] {{-1, 0}, {-1, 0}});
            NDArray p = m.create(new double[][] {{1, 0}, {-1, 0}});
            NDArray u = m.create(new double[][] {{30, -30}, {-30, 30}});
            double[] prob =
                    PalA.defaults()
                            .apply(new IdealPointPair(fc, fr, p, u), null, Reduction.NONE)
                            .probability()
                            .toDoubleArray();
            // ideal points (1, 0) and (-1, 0): distance gap +-4, so sigma(4) and sigma(-4)
            assertEquals(1 / (1 + Math.exp(-4)), prob[0], 1e-12);
            assertEquals(1 / (1 + Math.exp(4)), prob[1], 1e-12);
        }

        @Test
        void prototypeWidthMustMatch() {
            NDArray f = normal(19, 8, 2, 4);
            Expect.badArgument(
                    () ->
                            PalA.defaults()
                                    .apply(
                                            new IdealPointPair(
                                                    f, f, normal(20, 6, 2, 3), normal(21, 4, 2, 2)),
                                            null,
                                            Reduction.MEAN),
                    "pal-a",
                    "prototypes",
                    "(2, 3)",
                    "(K, 4)");
        }
    }

    @Nested
    class Steps {
        @Test
        void oneStepWithLabelOneIsSoftplusOfMinusTheLogit() {
            NDArray z = m.create(new double[][] {{0.8}});
            StepOutput out =
                    new StepBce()
                            .apply(
                                    new StepScores(
                                            z,
                                            m.ones(new Shape(1, 1), z.getDataType()),
                                            m.ones(new Shape(1, 1), z.getDataType())),
                                    null,
                                    Reduction.MEAN);
            assertEquals(Math.log1p(Math.exp(-0.8)), out.loss().getDouble(), 1e-12);
            assertEquals(1 / (1 + Math.exp(-0.8)), out.probability().getDouble(0, 0), 1e-12);
        }

        @Test
        void paddedStepsHaveNoEffect() {
            NDArray z = normal(22, 12, 2, 6);
            NDArray y = m.create(LossCase.uniform(new Random(23), 12, 0, 1), new Shape(2, 6));
            double[] mask = {1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0};
            NDArray mk = m.create(mask, new Shape(2, 6));
            double base =
                    new StepBce()
                            .apply(new StepScores(z, y, mk), null, Reduction.SUM)
                            .loss()
                            .getDouble();
            NDArray z2 = z.add(mk.neg().add(m.create(1.0)).mul(m.create(1e4)));
            double moved =
                    new StepBce()
                            .apply(new StepScores(z2, y, mk), null, Reduction.SUM)
                            .loss()
                            .getDouble();
            assertEquals(base, moved, 1e-12);
            assertArrayEquals(
                    new double[] {3, 2},
                    new StepBce()
                            .apply(new StepScores(z, y, mk), null, Reduction.SUM)
                            .steps()
                            .toDoubleArray(),
                    0.0);
        }
    }

    @Nested
    class Autoregressive {
        @Test
        void genArmIsReferenceFreeDpoWithBetaR() {
            NDArray pc = m.create(LossCase.uniform(new Random(24), 6, -30, -5));
            NDArray pr = m.create(LossCase.uniform(new Random(25), 6, -30, -5));
            PairLogps logps = PairLogps.referenceFree(pc, pr);
            double[] arm =
                    new GenArm(0.25)
                            .apply(logps, null, Reduction.NONE)
                            .perExample()
                            .toDoubleArray();
            double[] dpo =
                    new PairwisePolicyObjective.Dpo(0.25)
                            .apply(logps, null, Reduction.NONE)
                            .perExample()
                            .toDoubleArray();
            assertArrayEquals(dpo, arm, 1e-12);
        }

        @Test
        void aReferenceIsRejected() {
            NDArray pc = m.create(new double[] {-3});
            Expect.badArgument(
                    () ->
                            GenArm.defaults()
                                    .apply(PairLogps.of(pc, pc, pc, pc), null, Reduction.MEAN),
                    "genarm",
                    "reference",
                    "non-null");
        }
    }
}
