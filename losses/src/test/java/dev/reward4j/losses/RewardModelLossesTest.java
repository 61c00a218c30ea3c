package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.losses.RewardModelObjective.BradleyTerry;
import dev.reward4j.losses.RewardModelObjective.BtDirectReward;
import dev.reward4j.losses.RewardModelObjective.RaoKupper;
import dev.reward4j.losses.RewardModelObjective.ScaledBt;
import dev.reward4j.losses.RewardModelObjective.SoftLabelBt;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NDManagerExtension.class)
class RewardModelLossesTest {
    NDManager m;

    @BeforeEach
    void open(NDManager manager) {
        m = manager;
    }

    double[] random(long seed, int n) {
        return LossCase.normal(new Random(seed), n, 2);
    }

    double bt(RewardModelObjective o, RewardPair p) {
        return o.apply(p, null, Reduction.MEAN).loss().getDouble();
    }

    @Nested
    class MarginColumn {
        @Test
        void eachVariantAttachesTheDataColumnAsItReadsIt() {
            NDArray c = m.create(new double[] {1.0, 2.0});
            NDArray r = m.create(new double[] {0.0, 0.5});
            NDArray col = m.create(new double[] {1.0, 0.0});
            RewardPair base = RewardPair.of(c, r);
            assertEquals(col, BradleyTerry.defaults().withMarginColumn(base, col).margin());
            assertEquals(col, new ScaledBt().withMarginColumn(base, col).margin());
            assertEquals(col, new SoftLabelBt().withMarginColumn(base, col).probability());
            assertEquals(col, new RaoKupper(1.0).withMarginColumn(base, col).tie());
            // no column: BT trains without a margin; the variants that need it say so
            assertEquals(null, BradleyTerry.defaults().withMarginColumn(base, null).margin());
            org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> new SoftLabelBt().withMarginColumn(base, null));
            org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> new RaoKupper(1.0).withMarginColumn(base, null));
        }
    }

    @Nested
    class Values {
        @Test
        void btEqualsSoftplusOfRejectedMinusChosen() {
            // closed form: -log sigma(1.5 - (-0.5)) = log(1 + e^-2)
            NDArray c = m.create(new double[] {1.5});
            NDArray r = m.create(new double[] {-0.5});
            assertEquals(
                    Math.log1p(Math.exp(-2)),
                    bt(BradleyTerry.defaults(), RewardPair.of(c, r)),
                    1e-15);
        }

        @ParameterizedTest
        @ValueSource(doubles = {-100, -3.25, 0.5, 7, 1000})
        void btIsUnchangedWhenBothRewardsShiftByAConstant(double shift) {
            double[] c = random(1, 8);
            double[] r = random(2, 8);
            NDArray margin = m.create(LossCase.uniform(new Random(3), 8, 0, 1));
            for (RewardModelObjective o :
                    new RewardModelObjective[] {
                        BradleyTerry.defaults(), new BradleyTerry(0.2, 0)
                    }) {
                double base = bt(o, RewardPair.of(m.create(c), m.create(r)).withMargin(margin));
                double shifted =
                        bt(
                                o,
                                RewardPair.of(m.create(c).add(shift), m.create(r).add(shift))
                                        .withMargin(margin));
                assertEquals(base, shifted, 1e-12, o.name());
            }
        }

        @Test
        void btGradientWrtTheMarginIsMinusSigmoidOfMinusMargin() {
            // d/d(rc) of softplus(-(rc - rr)) = -sigma(-(rc - rr)) = -1/(1 + e^{d}), d = 0.75
            NDArray c = m.create(new double[] {1.0});
            NDArray r = m.create(new double[] {0.25});
            c.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(
                        BradleyTerry.defaults()
                                .apply(RewardPair.of(c, r), null, Reduction.SUM)
                                .loss());
            }
            assertEquals(-1 / (1 + Math.exp(0.75)), c.getGradient().getDouble(0), 1e-15);
        }

        @Test
        void softLabelBtWithProbabilityOneEqualsBt() {
            NDArray c = m.create(random(4, 6));
            NDArray r = m.create(random(5, 6));
            double soft = bt(new SoftLabelBt(), RewardPair.of(c, r).withProbability(c.onesLike()));
            assertEquals(bt(BradleyTerry.defaults(), RewardPair.of(c, r)), soft, 1e-14);
        }

        @Test
        void labelSmoothedBtEqualsSoftLabelBtWithConstantProbability() {
            NDArray c = m.create(random(6, 6));
            NDArray r = m.create(random(7, 6));
            double soft =
                    bt(
                            new SoftLabelBt(),
                            RewardPair.of(c, r).withProbability(c.onesLike().mul(0.85)));
            assertEquals(bt(new BradleyTerry(0.15, 0), RewardPair.of(c, r)), soft, 1e-14);
        }

        @Test
        void raoKupperWinLossAndTieProbabilitiesSumToOne() {
            double[] c = random(8, 10);
            double[] r = random(9, 10);
            RaoKupper rk = new RaoKupper(0.7);
            NDArray zeros = m.zeros(new Shape(10), DataType.FLOAT64);
            double[] win = lossesOf(rk, RewardPair.of(m.create(c), m.create(r)).withTie(zeros));
            double[] loss = lossesOf(rk, RewardPair.of(m.create(r), m.create(c)).withTie(zeros));
            double[] tie =
                    lossesOf(rk, RewardPair.of(m.create(c), m.create(r)).withTie(zeros.add(1)));
            for (int i = 0; i < 10; i++) {
                assertEquals(
                        1.0, Math.exp(-win[i]) + Math.exp(-loss[i]) + Math.exp(-tie[i]), 1e-14);
            }
        }

        @Test
        void scaledBtUsesTheMagnitudeOfTheStrength() {
            NDArray c = m.create(random(10, 4));
            NDArray r = m.create(random(11, 4));
            NDArray s = m.create(new double[] {-3, 2, -1, 3});
            double expected = bt(new ScaledBt(), RewardPair.of(c, r).withMargin(s.abs()));
            assertEquals(expected, bt(new ScaledBt(), RewardPair.of(c, r).withMargin(s)), 1e-15);
        }

        @Test
        void eurusDirectRewardAddsAbsoluteTermsToBt() {
            // -log s(1) - log s(0.5) - log s(-(-0.5))
            NDArray c = m.create(new double[] {0.5});
            NDArray r = m.create(new double[] {-0.5});
            double expected = Math.log1p(Math.exp(-1)) + 2 * Math.log1p(Math.exp(-0.5));
            assertEquals(expected, bt(BtDirectReward.defaults(), RewardPair.of(c, r)), 1e-15);
        }

        @Test
        void diagnosticsAreRewardsMarginAndAccuracyWithoutGradient() {
            NDArray c = m.create(new double[] {1, -2, 0.5});
            NDArray r = m.create(new double[] {0, 1, 0.5});
            c.setRequiresGradient(true);
            PairwiseOutput out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = BradleyTerry.defaults().apply(RewardPair.of(c, r), null, Reduction.MEAN);
                gc.backward(out.loss());
            }
            assertArrayEquals(new double[] {1, -3, 0}, out.margin().toDoubleArray(), 0);
            assertArrayEquals(new double[] {1, 0, 0}, out.accuracy().toDoubleArray(), 0);
            assertArrayEquals(new double[] {1, -2, 0.5}, out.chosenReward().toDoubleArray(), 0);
            assertFalse(out.perExample().hasGradient());
        }

        double[] lossesOf(RewardModelObjective o, RewardPair p) {
            return o.apply(p, null, Reduction.NONE).loss().toDoubleArray();
        }
    }

    @Nested
    class Regression {
        @Test
        void missingRatingsHaveNoEffect() {
            double[] pred = random(12, 12);
            double[] target = random(13, 12);
            double[] mask = LossCase.bernoulli(new Random(14), 12, 0.5);
            double[] other = target.clone();
            for (int i = 0; i < 12; i++) {
                if (mask[i] == 0) {
                    other[i] += 100;
                }
            }
            double a = regression(pred, target, mask);
            assertEquals(a, regression(pred, other, mask), 0);
        }

        @Test
        void noPresentRatingGivesZeroLossAndZeroGradient() {
            NDArray p = m.create(random(15, 6), new Shape(2, 3));
            p.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                loss =
                        RewardModelLosses.multiAttributeRegression(
                                        p, p.zerosLike(), p.zerosLike(), null, Reduction.MEAN)
                                .loss();
                gc.backward(loss);
            }
            assertEquals(0, loss.getDouble(), 0);
            assertArrayEquals(new double[6], p.getGradient().toDoubleArray(), 0);
        }

        @Test
        void meanIsOverPresentRatings() {
            // present errors: (1-0)^2 = 1 and (3-1)^2 = 4 -> mean 2.5
            NDArray p = m.create(new double[] {1, 5, 3, 7}, new Shape(2, 2));
            NDArray t = m.create(new double[] {0, 0, 1, 0}, new Shape(2, 2));
            NDArray mask = m.create(new double[] {1, 0, 1, 0}, new Shape(2, 2));
            RegressionOutput out =
                    RewardModelLosses.multiAttributeRegression(p, t, mask, null, Reduction.MEAN);
            assertEquals(2.5, out.loss().getDouble(), 0);
            assertArrayEquals(new double[] {1, 4}, out.perExample().toDoubleArray(), 0);
        }

        double regression(double[] pred, double[] target, double[] mask) {
            Shape s = new Shape(4, 3);
            return RewardModelLosses.multiAttributeRegression(
                            m.create(pred, s),
                            m.create(target, s),
                            m.create(mask, s),
                            null,
                            Reduction.MEAN)
                    .loss()
                    .getDouble();
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsMismatchedShapes() {
            RewardPair p = RewardPair.of(m.create(new double[4]), m.create(new double[3]));
            Expect.badArgument(
                    () -> bt(BradleyTerry.defaults(), p), "pair.rejected", "(3)", "expected (4)");
        }

        @Test
        void rejectsIntegerRewards() {
            RewardPair p = RewardPair.of(m.create(new long[] {1, 2}), m.create(new long[] {0, 1}));
            Expect.badArgument(
                    () -> bt(BradleyTerry.defaults(), p), "pair.chosen", "int64", "expected float");
        }

        @Test
        void rejectsRewardsThatAreNotOnePerPair() {
            RewardPair p = RewardPair.of(m.zeros(new Shape(4, 1)), m.zeros(new Shape(4, 1)));
            Expect.badArgument(
                    () -> bt(BradleyTerry.defaults(), p), "pair.chosen", "(4, 1)", "expected (B)");
        }

        @Test
        void rejectsMismatchedWeightsAndMargins() {
            RewardPair p = RewardPair.of(m.create(new double[4]), m.create(new double[4]));
            Expect.badArgument(
                    () -> BradleyTerry.defaults().apply(p, m.create(new double[2]), Reduction.MEAN),
                    "weight",
                    "(2)",
                    "(4)");
            Expect.badArgument(
                    () -> bt(BradleyTerry.defaults(), p.withMargin(m.create(new double[5]))),
                    "pair.margin",
                    "(5)",
                    "(4)");
        }

        @Test
        void rejectsMissingAuxiliaries() {
            RewardPair p = RewardPair.of(m.create(new double[4]), m.create(new double[4]));
            Expect.badArgument(() -> bt(new ScaledBt(), p), "pair.margin", "null", "expected");
            Expect.badArgument(
                    () -> bt(new SoftLabelBt(), p), "pair.probability", "null", "expected");
            Expect.badArgument(() -> bt(RaoKupper.defaults(), p), "pair.tie", "null", "expected");
        }

        @Test
        void rejectsOutOfRangeOrNanHyperparameters() {
            Expect.badArgument(() -> new BradleyTerry(0.6, 0), "labelSmoothing", "0.6", "<= 0.5");
            Expect.badArgument(
                    () -> new BradleyTerry(-0.1, 0), "labelSmoothing", "-0.1", "expected 0.0 <=");
            Expect.badArgument(
                    () -> new BradleyTerry(0, -1), "centeringCoefficient", "-1.0", ">= 0");
            Expect.badArgument(
                    () -> new BradleyTerry(Double.NaN, 0), "labelSmoothing", "NaN", "finite");
            Expect.badArgument(
                    () -> new BtDirectReward(Double.NaN), "directCoefficient", "NaN", "finite");
            Expect.badArgument(() -> new RaoKupper(0), "logTheta", "0.0", "> 0");
            Expect.badArgument(
                    () -> new RaoKupper(Double.POSITIVE_INFINITY),
                    "logTheta",
                    "Infinity",
                    "finite");
        }

        @Test
        void regressionRejectsBadShapes() {
            NDArray p = m.zeros(new Shape(2, 3));
            Expect.badArgument(
                    () ->
                            RewardModelLosses.multiAttributeRegression(
                                    p, m.zeros(new Shape(2, 2)), null, null, Reduction.MEAN),
                    "targets",
                    "(2, 2)",
                    "expected (2, 3)");
            Expect.badArgument(
                    () ->
                            RewardModelLosses.multiAttributeRegression(
                                    m.zeros(new Shape(6)), p, null, null, Reduction.MEAN),
                    "predictions",
                    "(6)",
                    "expected (B, K)");
        }
    }
}
